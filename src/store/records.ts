import type { Envelope } from '../twitch/envelope.js';

/** The data every store role reads and writes: events, their deliveries, attempts and queries. */

/** Deliveries (sinks) one event may have, in any store (SQLite numbers them within this range). */
export const MAX_DELIVERIES_PER_EVENT = 64;

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** A delivery handed to one worker, leased for `leaseMs` so no other worker attempts it meanwhile. */
export interface ClaimedDelivery {
  deliveryId: number;
  /**
   * New on every claim. The outcome is recorded only while the delivery still carries this token, so
   * a late result (lease expired, delivery claimed again or replayed) cannot overwrite a newer state.
   */
  claimToken: string;
  sink: string;
  /** Attempts made in the current schedule before this one (a replay starts a new schedule at 0). */
  attempts: number;
  envelope: Envelope;
}

/**
 * One delivery of a new event, written with it. `claim` is set when the intake's own worker will
 * attempt it right after the write: the row is stored already leased to that worker under
 * `claim.token` for `claim.leaseMs` (on the store's clock), so no other replica claims it meanwhile
 * and the worker needs no claim query.
 */
export interface NewDelivery {
  sink: string;
  claim?: { token: string; leaseMs: number };
}

/**
 * insertEvent's answer. A stored event has its store-wide sequence number (monotonic, never
 * reused) and the ids of its deliveries, in the order they were given; a duplicate stored nothing.
 */
export type InsertResult =
  { outcome: 'stored'; seq: number; deliveryIds: number[] } | { outcome: 'duplicate' };

/** What recording an outcome needs: which delivery, and the proof that this worker still holds it. */
export type DeliveryClaim = Pick<ClaimedDelivery, 'deliveryId' | 'claimToken'>;

/** The outcome of one attempt, kept for `events show`. */
export interface AttemptRecord {
  startedAt: Date;
  finishedAt: Date;
  /** Short reason on failure (`HTTP 500`, `timeout after 10000 ms`, …); undefined on success. */
  error?: string;
  /** On failure, the first 1 KiB of the destination's answer (an HTTP sink's response body), if any. */
  response?: string;
}

export interface DeliveryView {
  deliveryId: number;
  sink: string;
  status: DeliveryStatus;
  /** Attempts in the current schedule (a replay starts again at 0; `attempts` below keeps them all). */
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
  /** The store-wide sequence number: the key a list pages by (`beforeSeq`). */
  seq: number;
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
  /** Only events stored before this seq (keyset paging: pass the last seq of the previous page). */
  beforeSeq?: number;
}

/** Which deliveries `listDead` reads: dead (the default) or pending ones, newest first, paged by id. */
export interface DeliveryListQuery {
  sink?: string;
  limit?: number;
  status?: 'dead' | 'pending';
  /** Only deliveries with a lower id (keyset paging: pass the last id of the previous page). */
  beforeId?: number;
}

export interface DeadDeliveryView extends DeliveryView {
  eventSeq: number;
  eventId: string;
  type: string;
  receivedAt: string;
}

/** One sink's backlog, as metrics and `doctor` report it. */
export interface SinkBacklog {
  sink: string;
  pending: number;
  dead: number;
  /** When the event of the oldest pending delivery arrived (a replayed one counts from then); null if none. */
  oldestPendingReceivedAt: Date | null;
}

export interface RequeueQuery {
  ids?: readonly string[];
  since?: Date;
  type?: string;
  sink?: string;
}

/** One stored event with its store-wide sequence number (what a live stream sends as `id:`). */
export interface SequencedEvent {
  seq: number;
  envelope: Envelope;
}
