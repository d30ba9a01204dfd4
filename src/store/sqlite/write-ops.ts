import type Database from 'better-sqlite3';
import type { InsertResult, NewDelivery } from '../store.js';
import type { Prepare } from './event-queries.js';
import type { EventInserter, EventInsert } from './insert-event.js';
import type { MessageIdIndex } from './message-id-index.js';
import { DEAD_BEFORE, DELIVERED_BEFORE, deleteOneBatch } from './retention-queries.js';

/** An attempt as plain data (times in unix ms), as it crosses to the writer thread. */
export interface AttemptData {
  startedAtMs: number;
  finishedAtMs: number;
  error: string | undefined;
  response: string | undefined;
}

/**
 * Every write of the SQLite store, as an operation on plain data (so it can run on the writer
 * thread, see writer-thread.ts): each runs inside a group commit's transaction and only touches the
 * database (and the message-id index, which follows the transaction as its journal).
 */
export interface WriteOps {
  insert(event: EventInsert, deliveries: readonly NewDelivery[]): InsertResult;
  /** Leases those of the deliveries that are still due and unleased under `claimToken`; returns their ids. */
  lease(deliveryIds: readonly number[], nowMs: number, leaseMs: number, claimToken: string): number[];
  recordSuccess(deliveryId: number, claimToken: string, attempt: AttemptData): boolean;
  recordFailure(
    deliveryId: number,
    claimToken: string,
    attempt: AttemptData,
    nextAttemptAtMs: number | null,
  ): boolean;
  releaseAllClaims(): number;
  /** Re-queues the deliveries `selectSql` (with `params`) picks. */
  requeue(selectSql: string, params: unknown[], nowMs: number): number;
  /** Makes the sink's pending deliveries that wait for a later retry step due now; returns how many. */
  retryPendingNow(sink: string, nowMs: number): number;
  deleteDeliveredBefore(cutoffMs: number, batchSize: number): number;
  deleteDeadBefore(cutoffMs: number, batchSize: number): number;
  /** The smallest real write: sets the schema version to what it is (one WAL frame, nothing changes). */
  probe(): void;
}

export type WriteOpName = keyof WriteOps;

export function createWriteOps(
  db: Database.Database,
  sql: Prepare,
  events: EventInserter,
  ids: MessageIdIndex,
): WriteOps {
  const addAttempt = (deliveryId: number, attempt: AttemptData) =>
    sql(
      `INSERT INTO attempts (delivery_id, attempt, started_at, finished_at, error, response)
       SELECT ?, COALESCE(MAX(attempt), 0) + 1, ?, ?, ?, ? FROM attempts WHERE delivery_id = ?`,
    ).run(
      deliveryId,
      attempt.startedAtMs,
      attempt.finishedAtMs,
      attempt.error ?? null,
      attempt.response ?? null,
      deliveryId,
    );

  return {
    insert: (event, deliveries) => events.insert(event, deliveries),

    lease(deliveryIds, nowMs, leaseMs, claimToken) {
      // Only what is still pending, due and unleased when the lease commits: the serving thread
      // chose these from what it read, and another claim of this process may have taken one since.
      const lease = sql(
        `UPDATE deliveries SET lease_until = ?, claim_token = ?
         WHERE id = ? AND status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)`,
      );
      return deliveryIds.filter((id) => lease.run(nowMs + leaseMs, claimToken, id, nowMs, nowMs).changes > 0);
    },

    recordSuccess(deliveryId, claimToken, attempt) {
      // The successful attempt lives in the delivery row (started_at, delivered_at): no attempts
      // row, so the common case, delivered at the first try, writes nothing but this update.
      const { changes } = sql(
        `UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, started_at = ?, delivered_at = ?,
           lease_until = NULL, claim_token = NULL, next_attempt_at = NULL, last_error = NULL
         WHERE id = ? AND claim_token = ?`,
      ).run(attempt.startedAtMs, attempt.finishedAtMs, deliveryId, claimToken);
      return changes > 0;
    },

    recordFailure(deliveryId, claimToken, attempt, nextAttemptAtMs) {
      const { changes } = sql(
        `UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL,
           claim_token = NULL, last_error = ?
         WHERE id = ? AND claim_token = ?`,
      ).run(
        nextAttemptAtMs === null ? 'dead' : 'pending',
        nextAttemptAtMs,
        attempt.error ?? 'failed',
        deliveryId,
        claimToken,
      );
      if (changes === 0) return false;
      // Appends the attempt to the delivery's history (numbered 1, 2, … across replays).
      addAttempt(deliveryId, attempt);
      return true;
    },

    // A range of the partial index deliveries_pending (sink, next_attempt_at): those due later.
    retryPendingNow: (sink, nowMs) =>
      sql(
        `UPDATE deliveries SET next_attempt_at = ?
         WHERE sink = ? AND status = 'pending' AND next_attempt_at > ?
           AND (lease_until IS NULL OR lease_until <= ?)`,
      ).run(nowMs, sink, nowMs, nowMs).changes,

    releaseAllClaims: () =>
      sql('UPDATE deliveries SET lease_until = NULL, claim_token = NULL WHERE lease_until IS NOT NULL').run()
        .changes,

    requeue(selectSql, params, nowMs) {
      const ids = sql(selectSql)
        .pluck()
        .all(...params) as number[];
      // A delivered one keeps its successful attempt in the history: moved to the attempts table
      // before the row starts a new schedule.
      const archive = sql(
        `INSERT INTO attempts (delivery_id, attempt, started_at, finished_at, error)
         SELECT d.id, COALESCE((SELECT MAX(attempt) FROM attempts WHERE delivery_id = d.id), 0) + 1,
                d.started_at, d.delivered_at, NULL
         FROM deliveries d WHERE d.id = ? AND d.started_at IS NOT NULL AND d.delivered_at IS NOT NULL`,
      );
      const reset = sql(
        `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL,
           claim_token = NULL, started_at = NULL, delivered_at = NULL
         WHERE id = ?`,
      );
      for (const id of ids) {
        archive.run(id);
        reset.run(nowMs, id);
      }
      return ids.length;
    },

    // One batch per call: retention (store/retention.ts) calls again while the batch was full and
    // lets /callback run in between.
    deleteDeliveredBefore: (cutoffMs, batchSize) =>
      deleteOneBatch(sql, DELIVERED_BEFORE, new Date(cutoffMs), batchSize, ids),
    deleteDeadBefore: (cutoffMs, batchSize) =>
      deleteOneBatch(sql, DEAD_BEFORE, new Date(cutoffMs), batchSize, ids),

    probe() {
      db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
    },
  };
}
