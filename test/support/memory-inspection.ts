import type {
  DeadDeliveryView,
  DeliveryListQuery,
  EventDetail,
  EventQuery,
  EventSummary,
  SinkBacklog,
} from '../../src/index.js';
import { envelopeOf, matchesEvent, viewOf, type EventRecord, type MemoryData } from './memory-data.js';

/** The memory store's EventInspector reads (`events show/list/dead`, backlog), over its data. */

export function eventDetail(data: MemoryData, id: string): EventDetail | null {
  const event = data.events.get(id);
  if (!event) return null;
  const deliveries = data.deliveriesOf(event.seq);
  const attempts = deliveries
    .flatMap((delivery) =>
      (data.attempts.get(delivery.id) ?? []).map(({ startedAt, finishedAt, ...rest }) => ({
        ...rest,
        sink: delivery.sink,
        startedAt: new Date(startedAt),
        finishedAt: new Date(finishedAt),
      })),
    )
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.attempt - b.attempt);
  return { envelope: envelopeOf(event), deliveries: deliveries.map(viewOf), attempts };
}

/** Newest first; `status` and `sink` select events with a delivery that has both. */
export function eventSummaries(data: MemoryData, query: EventQuery): EventSummary[] {
  const hasDelivery = (event: EventRecord) =>
    data
      .deliveriesOf(event.seq)
      .some((d) => (!query.status || d.status === query.status) && (!query.sink || d.sink === query.sink));
  return [...data.bySeq.values()]
    .reverse()
    .filter((event) => query.beforeSeq === undefined || event.seq < query.beforeSeq)
    .filter((event) => matchesEvent(event, query) && (!(query.status || query.sink) || hasDelivery(event)))
    .slice(0, query.limit ?? 50)
    .map((event) => {
      const { id, messageType, type, version, receivedAt } = envelopeOf(event);
      const deliveries = data.deliveriesOf(event.seq).map(viewOf);
      return { seq: event.seq, id, messageType, type, version, receivedAt, deliveries };
    });
}

/** Dead (or pending) deliveries, the latest stored first. */
export function deadDeliveries(data: MemoryData, query: DeliveryListQuery): DeadDeliveryView[] {
  const status = query.status ?? 'dead';
  return [...data.deliveries.values()]
    .filter((d) => d.status === status && (!query.sink || d.sink === query.sink))
    .filter((d) => query.beforeId === undefined || d.id < query.beforeId)
    .sort((a, b) => b.id - a.id)
    .slice(0, query.limit ?? 100)
    .map((delivery) => {
      const event = data.bySeq.get(delivery.seq)!;
      const receivedAt = new Date(event.receivedAt).toISOString();
      return { ...viewOf(delivery), eventSeq: event.seq, eventId: event.id, type: event.type, receivedAt };
    });
}

export function backlogOf(data: MemoryData, sink: string): SinkBacklog {
  const ofSink = [...data.deliveries.values()].filter((d) => d.sink === sink);
  const pending = ofSink.filter((d) => d.status === 'pending');
  // The oldest pending delivery is the one stored first (ids grow with inserts).
  const oldest = pending.sort((a, b) => a.id - b.id)[0];
  return {
    sink,
    pending: pending.length,
    dead: ofSink.filter((d) => d.status === 'dead').length,
    oldestPendingReceivedAt: oldest ? new Date(data.bySeq.get(oldest.seq)!.receivedAt) : null,
  };
}
