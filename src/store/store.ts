import type { Envelope } from '../twitch/envelope.js';

/** Result of offering an event to the store: new and durable, or a Twitch retry we already hold. */
export type InsertOutcome = 'stored' | 'duplicate';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** A delivery handed to one worker, leased until `leaseUntil` so no other worker attempts it meanwhile. */
export interface ClaimedDelivery {
  deliveryId: number;
  sink: string;
  /** Attempts made before this one. */
  attempts: number;
  envelope: Envelope;
}

/** The outcome of one attempt, kept for `events show`. */
export interface AttemptRecord {
  startedAt: Date;
  finishedAt: Date;
  /** Short reason on failure (`HTTP 500`, `timeout after 10000 ms`, …); undefined on success. */
  error?: string;
}

export interface DeliveryView {
  deliveryId: number;
  sink: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

export interface AttemptView extends AttemptRecord {
  deliveryId: number;
  sink: string;
  attempt: number;
}

export interface EventSummary {
  id: string;
  messageType: Envelope['messageType'];
  type: string;
  version: string;
  receivedAt: string;
  deliveries: DeliveryView[];
}

export interface EventDetail {
  envelope: Envelope;
  deliveries: DeliveryView[];
  attempts: AttemptView[];
}

export interface EventQuery {
  /** Exact type or a glob such as `channel.*`. */
  type?: string;
  /** Only events that have a delivery in this status. */
  status?: DeliveryStatus;
  since?: Date;
  sink?: string;
  limit?: number;
}

export interface DeadDeliveryView extends DeliveryView {
  eventId: string;
  type: string;
  receivedAt: string;
}

export interface RequeueQuery {
  ids?: readonly string[];
  since?: Date;
  type?: string;
  sink?: string;
}

/**
 * Durable storage for received events and their per-sink deliveries. Every method is async so a
 * networked store (PostgreSQL, for several replicas) can implement the same contract.
 */
export interface Store {
  /**
   * Stores the envelope and one pending delivery per named sink in one transaction, unless an event
   * with the same message id exists. Resolves only once the write is durable: the caller may then
   * acknowledge Twitch.
   */
  insertIfNew(envelope: Envelope, sinks: readonly string[]): Promise<InsertOutcome>;
  /** Leases up to `limit` due deliveries of one sink, oldest first. */
  claimDue(sink: string, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  recordSuccess(deliveryId: number, attempt: AttemptRecord): Promise<void>;
  /** Records a failed attempt; `nextAttemptAt` null marks the delivery dead. */
  recordFailure(deliveryId: number, attempt: AttemptRecord, nextAttemptAt: Date | null): Promise<void>;
  /** Earliest due time among this sink's pending, unleased deliveries, or null. */
  nextDueAt(sink: string): Promise<Date | null>;
  getEvent(id: string): Promise<EventDetail | null>;
  listEvents(query: EventQuery): Promise<EventSummary[]>;
  listDead(query: { sink?: string; limit?: number }): Promise<DeadDeliveryView[]>;
  /** Sets matching deliveries (dead, delivered or pending) back to pending, due now; returns how many. */
  requeue(query: RequeueQuery): Promise<number>;
  /** Deletes events older than `cutoff` whose deliveries are all delivered (or that have none), in batches. */
  deleteDeliveredBefore(cutoff: Date, batchSize: number): Promise<number>;
  /** Deletes dead deliveries (and then their events) older than `cutoff`. */
  deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number>;
  countEvents(): Promise<number>;
  /** Throws when the store cannot take writes (used by /readyz). */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}
