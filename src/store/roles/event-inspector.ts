import type {
  DeadDeliveryView,
  DeliveryListQuery,
  EventDetail,
  EventQuery,
  EventSummary,
  SinkBacklog,
} from '../records.js';

/** What people and probes read: `events list/show/dead`, `doctor`, the backlog metrics. Reads only. */
export interface EventInspector {
  getEvent(id: string): Promise<EventDetail | null>;
  listEvents(query: EventQuery): Promise<EventSummary[]>;
  /** Dead deliveries (or pending ones, `status: 'pending'`), the newest first, from the status's index. */
  listDead(query: DeliveryListQuery): Promise<DeadDeliveryView[]>;
  /** Names of the sinks that have deliveries in the store, sorted. */
  listSinks(): Promise<string[]>;
  countEvents(): Promise<number>;
  /**
   * Per named sink: how many deliveries are pending and dead, and when the oldest pending one's event
   * arrived. Read from the deliveries index per sink (cheap enough for every metrics scrape).
   */
  deliveryBacklog(sinks: readonly string[]): Promise<SinkBacklog[]>;
}
