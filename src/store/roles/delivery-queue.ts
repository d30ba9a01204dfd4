import type { AttemptRecord, ClaimedDelivery, DeliveryClaim, RequeueQuery } from '../records.js';
import type { ReplicaSharing } from './replica-sharing.js';

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

/**
 * The per-sink queue of deliveries the worker drains: claims under a lease, outcomes recorded only
 * while the claim is held, retries scheduled, and replays (`events replay`) put back.
 */
export interface DeliveryQueue extends ReplicaSharing {
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
   * Sets matching deliveries (dead, delivered or pending) back to pending, due now, with a fresh
   * retry schedule (attempt count 0; the attempt history is kept); returns how many. Deliveries being
   * attempted right now (live lease) are left alone: that attempt is already under way.
   */
  requeue(query: RequeueQuery): Promise<number>;
  /**
   * Makes every pending delivery of `sink` that waits for a later retry due at `now` (not leased
   * ones; attempt counts and schedules stay), so a sink that answers again gets its backlog at once,
   * in the order the events arrived (claims go by due time, then id). Returns how many.
   */
  retryPendingNow(sink: string, now: Date): Promise<number>;
  /**
   * Called once by the serving process before its worker starts. A store not shared by replicas
   * clears every lease and returns how many it cleared: they were taken by a process that is gone
   * (killed mid-delivery), so those deliveries resume at once instead of when their lease ends. A
   * shared store changes nothing and returns 0: another replica may be working on them right now.
   */
  releaseAllClaims(): Promise<number>;
}
