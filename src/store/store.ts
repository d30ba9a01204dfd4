import type { Envelope } from '../twitch/envelope.js';

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

/**
 * Durable storage for received events and their per-sink deliveries. Every method is async so a
 * networked store (PostgreSQL, for several replicas) can implement the same contract.
 */
/** One stored event with its store-wide sequence number (what a live stream sends as `id:`). */
export interface SequencedEvent {
  seq: number;
  envelope: Envelope;
}

/**
 * How many deliveries one claim may lease: a number, or the caller's free slots, asked for when the
 * claim reads the store. A caller bounding its concurrency (a sink lane) passes slots, so it holds
 * only what the claim really took rather than every free slot while the claim waits for its write
 * (deliveries claimed at insert meanwhile would find the lane full and go the slow way).
 */
export type ClaimLimit = number | ClaimSlots;

export interface ClaimSlots {
  /** How many deliveries the claim may lease now. */
  free(): number;
  /**
   * How many the claim holds from now on: told in the same synchronous step as `free` was asked,
   * once with the lease count (a store that claims over the network may first hold all `free`).
   * Each call replaces the last (a store that runs the claim again after a rolled-back transaction).
   */
  hold(count: number): void;
}

/** The slots of a plain number limit: nobody to tell. */
export function claimSlotsOf(limit: ClaimLimit): ClaimSlots {
  return typeof limit === 'number' ? { free: () => limit, hold: () => undefined } : limit;
}

export interface Store {
  /**
   * Writes the envelope and its deliveries (each pending, or leased to its `claim`) in one
   * transaction, unless an event with the same message id is stored already. Resolves only once
   * the write is durable: the caller may then acknowledge Twitch.
   */
  insertEvent(envelope: Envelope, deliveries: readonly NewDelivery[]): Promise<InsertResult>;
  /**
   * Leases up to `limit` deliveries of one sink that are due at `now` (the worker's clock), oldest
   * first, each under a fresh claim token. A store shared by several processes measures the lease on
   * its own clock (PostgreSQL: the database's), so replicas with skewed clocks never overlap.
   */
  claimDue(sink: string, now: Date, limit: ClaimLimit, leaseMs: number): Promise<ClaimedDelivery[]>;
  /**
   * Marks the claimed delivery delivered and keeps the attempt. Resolves false, changing nothing,
   * when the claim is no longer held (see ClaimedDelivery.claimToken).
   */
  recordSuccess(claim: DeliveryClaim, attempt: AttemptRecord): Promise<boolean>;
  /**
   * Records a failed attempt; `nextAttemptAt` null marks the delivery dead. Resolves false, changing
   * nothing, when the claim is no longer held.
   */
  recordFailure(claim: DeliveryClaim, attempt: AttemptRecord, nextAttemptAt: Date | null): Promise<boolean>;
  /** Earliest due time among this sink's pending deliveries not leased at `now`, or null. */
  nextDueAt(sink: string, now: Date): Promise<Date | null>;
  /**
   * Only for a store one process serves from (SQLite): clears every lease, so deliveries a killed
   * predecessor had claimed resume at once instead of when their lease ends. Called once by the
   * serving process before its worker starts. A shared store (PostgreSQL) leaves it out: another
   * replica may be working on those deliveries right now.
   */
  releaseAllClaims?(): Promise<number>;
  /**
   * Work a store does once before the serving process accepts events (SQLite: load its dedup
   * index, start checkpointing off the event loop); `onError` hears about background failures.
   */
  warmUp?(onError?: (message: string) => void): Promise<void>;
  getEvent(id: string): Promise<EventDetail | null>;
  listEvents(query: EventQuery): Promise<EventSummary[]>;
  listDead(query: { sink?: string; limit?: number }): Promise<DeadDeliveryView[]>;
  /**
   * Sets matching deliveries (dead, delivered or pending) back to pending, due now, with a fresh
   * retry schedule (attempt count 0; the attempt history is kept); returns how many. Deliveries being
   * attempted right now (live lease) are left alone: that attempt is already under way.
   */
  requeue(query: RequeueQuery): Promise<number>;
  /** Names of the sinks that have deliveries in the store, sorted. */
  listSinks(): Promise<string[]>;
  /**
   * Per named sink: how many deliveries are pending and dead, and when the oldest pending one's event
   * arrived. Read from the deliveries index per sink (cheap enough for every metrics scrape).
   */
  deliveryBacklog(sinks: readonly string[]): Promise<SinkBacklog[]>;
  /**
   * Deletes up to `batchSize` events older than `cutoff` whose deliveries are all delivered (or that
   * have none); returns how many. One short transaction: the caller repeats while batches are full.
   */
  deleteDeliveredBefore(cutoff: Date, batchSize: number): Promise<number>;
  /** Deletes up to `batchSize` old events whose deliveries are dead (none pending); returns how many. */
  deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number>;
  countEvents(): Promise<number>;
  /**
   * Up to `limit` stored events whose seq is above `afterSeq`, in seq order (read by primary key),
   * for live streams resuming from a Last-Event-ID. Deleted (retention) events are simply absent.
   */
  readEventsAfter(afterSeq: number, limit: number): Promise<SequencedEvent[]>;
  /** The highest seq of a stored event, 0 when there is none: where a live stream starts. */
  latestSeq(): Promise<number>;
  /**
   * Throws when the store cannot take writes (used by /readyz): it cannot take the write lock or is
   * read-only, or its last write failed (a full disk, a lost connection) and a small write of its
   * own fails too. Resolves again once a write succeeds.
   */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}
