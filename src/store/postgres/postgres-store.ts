import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Envelope } from '../../twitch/envelope.js';
import { rawPayloadOf } from '../../twitch/envelope-json.js';
import {
  claimSlotsOf,
  type AttemptRecord,
  type ClaimedDelivery,
  type ClaimLimit,
  type DeadDeliveryView,
  type DeliveryClaim,
  type DeliveryListQuery,
  type EventDetail,
  type EventQuery,
  type EventSummary,
  type InsertResult,
  type NewDelivery,
  type RequeueQuery,
  type SequencedEvent,
  type SinkBacklog,
  type Store,
} from '../store.js';
import { deliveryFromRow, envelopeFromRow, type DeliveryRow, type EventRow } from '../rows.js';
import { getEventDetail, listEventSummaries, requeueDeliveries } from './event-queries.js';
import { migrate } from './migrate.js';
import { createPool, redactUrl } from './pool.js';
import { DB_NOW_MS } from './sql-params.js';
import { probeWrite } from './write-probe.js';
import { PostgresShardClaims } from './shard-claims.js';
import { WriteHealth } from '../write-health.js';

/**
 * The store for several replicas sharing one PostgreSQL database. Correctness across replicas rests
 * on PostgreSQL itself, never on application locks: the unique constraint on the message id decides
 * duplicates (INSERT … ON CONFLICT DO NOTHING), and deliveries are claimed with FOR UPDATE SKIP
 * LOCKED plus a lease, so a replica killed mid-delivery only delays its claims until the lease ends.
 * Every write is a single autocommitted statement (or a transaction) that resolves after COMMIT.
 */
export class PostgresStore implements Store {
  /** Several replicas share the database: other processes store events and hold leases in it too. */
  readonly sharedByReplicas = true;
  private closing: Promise<void> | undefined;
  private readonly health = new WriteHealth();
  /** Replicas of TRANSPORT=conduit claim their shards here (conduit_shard_claims). */
  readonly shardClaims: PostgresShardClaims;

  private constructor(private readonly pool: pg.Pool) {
    this.shardClaims = new PostgresShardClaims(pool);
  }

  /**
   * Connects, applies pending migrations (serialized across replicas), and returns the store.
   * `onBackgroundError` hears about idle connections the server dropped (restart, failover).
   */
  static async open(
    url: string,
    options: { onBackgroundError?: (error: Error) => void } = {},
  ): Promise<PostgresStore> {
    const pool = createPool(url);
    // An idle client that loses its server must not crash the process; the next query reconnects.
    pool.on('error', (error) => options.onBackgroundError?.(error));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw new Error(
        `cannot open PostgreSQL store ${redactUrl(url)}: ${(error as Error).message}; ` +
          'check that the server runs, the database exists and the user may create tables',
        { cause: error },
      );
    }
    return new PostgresStore(pool);
  }

  /** A write statement: readiness follows its outcome (see WriteHealth). */
  private write<Row extends pg.QueryResultRow>(
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<Row>> {
    return this.health.track(this.pool.query<Row>(text, values));
  }

  async insertEvent(envelope: Envelope, deliveries: readonly NewDelivery[]): Promise<InsertResult> {
    const raw = rawPayloadOf(envelope);
    // One statement, so one implicit transaction: the event and its deliveries commit together; the
    // unique constraint on the message id decides duplicates across replicas. Claimed deliveries are
    // leased on the database's clock. One row per delivery (or one without, for an event with none).
    const { rows } = await this.write<{ seq: string; delivery_id: number | null; sink: string | null }>(
      `WITH e AS (
         INSERT INTO events (id, message_type, type, version, twitch_timestamp, retry, subscription_json, event_json, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ON CONSTRAINT events_message_id_unique DO NOTHING
         RETURNING seq, received_at
       ), d AS (
         INSERT INTO deliveries (event_seq, sink, status, attempts, next_attempt_at, lease_until, claim_token)
         SELECT e.seq, s.sink, 'pending', 0, e.received_at,
                CASE WHEN s.token IS NOT NULL THEN ${DB_NOW_MS} + s.lease_ms END, s.token
         FROM e CROSS JOIN unnest($10::text[], $11::text[], $12::bigint[]) AS s (sink, token, lease_ms)
         RETURNING id, sink
       )
       SELECT e.seq, d.id AS delivery_id, d.sink FROM e LEFT JOIN d ON true`,
      [
        envelope.id,
        envelope.messageType,
        envelope.type,
        envelope.version,
        envelope.timestamp,
        envelope.retry,
        raw.subscription,
        raw.event,
        Date.parse(envelope.receivedAt),
        deliveries.map((delivery) => delivery.sink),
        deliveries.map((delivery) => delivery.claim?.token ?? null),
        deliveries.map((delivery) => delivery.claim?.leaseMs ?? null),
      ],
    );
    if (rows.length === 0) return { outcome: 'duplicate' };
    const idBySink = new Map(rows.map((row) => [row.sink, row.delivery_id]));
    return {
      outcome: 'stored',
      seq: Number(rows[0]!.seq),
      deliveryIds: deliveries.map((delivery) => Number(idBySink.get(delivery.sink))),
    };
  }

  /** Nothing to prepare: the database itself decides duplicates, there is no index in this process. */
  async warmUp(): Promise<void> {}

  async claimDue(sink: string, now: Date, limit: ClaimLimit, leaseMs: number): Promise<ClaimedDelivery[]> {
    const claimToken = randomUUID();
    // The query takes a round trip: every free slot is held meanwhile, then only what it leased.
    const slots = claimSlotsOf(limit);
    const free = slots.free();
    slots.hold(free);
    if (free <= 0) return [];
    // Due-ness follows the worker's clock (its retry schedule); the lease follows the database's clock,
    // the one clock every replica shares. SKIP LOCKED: replicas claiming at once take disjoint rows.
    const { rows } = await this.write<EventRow & { delivery_id: number; attempts: number; due: number }>(
      `WITH c AS (
         UPDATE deliveries d SET lease_until = ${DB_NOW_MS} + $4::bigint, claim_token = $5
         FROM (SELECT id FROM deliveries
               WHERE sink = $1 AND status = 'pending' AND next_attempt_at <= $2
                 AND (lease_until IS NULL OR lease_until <= ${DB_NOW_MS})
               ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) due
         WHERE d.id = due.id
         RETURNING d.id, d.attempts, d.event_seq, d.next_attempt_at
       )
       SELECT c.id AS delivery_id, c.attempts, c.next_attempt_at AS due, e.*
       FROM c JOIN events e ON e.seq = c.event_seq ORDER BY c.next_attempt_at, c.id`,
      [sink, now.getTime(), free, leaseMs, claimToken],
    );
    slots.hold(rows.length);
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      claimToken,
      sink,
      attempts: row.attempts,
      envelope: envelopeFromRow(row),
    }));
  }

  async recordSuccess(claim: DeliveryClaim, attempt: AttemptRecord): Promise<boolean> {
    return this.recordOutcome(
      `status = 'delivered', delivered_at = $7, next_attempt_at = NULL, last_error = NULL`,
      claim,
      attempt,
      [attempt.finishedAt.getTime()],
    );
  }

  async recordFailure(
    claim: DeliveryClaim,
    attempt: AttemptRecord,
    nextAttemptAt: Date | null,
  ): Promise<boolean> {
    return this.recordOutcome(`status = $7, next_attempt_at = $8, last_error = $9`, claim, attempt, [
      nextAttemptAt ? 'pending' : 'dead',
      nextAttemptAt ? nextAttemptAt.getTime() : null,
      attempt.error ?? 'failed',
    ]);
  }

  /**
   * `set` uses $7 onwards (`extra`). One statement: updates the delivery only while it still carries the claim token, and appends the
   * attempt only if that update happened. A concurrent re-claim waits on the row lock, then sees the
   * token gone, so two results for one claim never both apply.
   */
  private async recordOutcome(
    set: string,
    claim: DeliveryClaim,
    attempt: AttemptRecord,
    extra: unknown[],
  ): Promise<boolean> {
    const { rows } = await this.write<{ recorded: number }>(
      `WITH d AS (
         UPDATE deliveries SET ${set}, attempts = attempts + 1, lease_until = NULL, claim_token = NULL
         WHERE id = $1 AND claim_token = $2 RETURNING id
       ), a AS (
         INSERT INTO attempts (delivery_id, attempt, started_at, finished_at, error, response)
         SELECT d.id, COALESCE((SELECT MAX(attempt) FROM attempts WHERE delivery_id = $1), 0) + 1, $3, $4, $5, $6
         FROM d
       )
       SELECT COUNT(*)::int AS recorded FROM d`,
      [
        claim.deliveryId,
        claim.claimToken,
        attempt.startedAt.getTime(),
        attempt.finishedAt.getTime(),
        attempt.error ?? null,
        attempt.response ?? null,
        ...extra,
      ],
    );
    return rows[0]?.recorded === 1;
  }

  async nextDueAt(sink: string): Promise<Date | null> {
    // Index order; leased rows (claimed by some replica, at most its concurrency) are skipped. Leases
    // are on the database's clock, so the caller's `now` is not needed here.
    const { rows } = await this.pool.query<{ due: string }>(
      `SELECT next_attempt_at AS due FROM deliveries
       WHERE sink = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ${DB_NOW_MS})
       ORDER BY next_attempt_at LIMIT 1`,
      [sink],
    );
    return rows[0] ? new Date(Number(rows[0].due)) : null;
  }

  /** A lease may be another replica's delivery in progress: never cleared at start-up. */
  async releaseAllClaims(): Promise<number> {
    return 0;
  }

  getEvent(id: string): Promise<EventDetail | null> {
    return getEventDetail(this.pool, id);
  }

  listEvents(query: EventQuery): Promise<EventSummary[]> {
    return listEventSummaries(this.pool, query);
  }

  async listDead(query: DeliveryListQuery): Promise<DeadDeliveryView[]> {
    // The status is written into the SQL (not bound), so the planner may use the partial index.
    const status = query.status === 'pending' ? 'pending' : 'dead';
    const { rows } = await this.pool.query<
      DeliveryRow & { event_id: string; type: string; received_at: number }
    >(
      `SELECT d.*, e.id AS event_id, e.type, e.received_at FROM deliveries d JOIN events e ON e.seq = d.event_seq
       WHERE d.status = '${status}' AND ($1::text IS NULL OR d.sink = $1) AND ($3::bigint IS NULL OR d.id < $3)
       ORDER BY d.id DESC LIMIT $2`,
      [query.sink ?? null, query.limit ?? 100, query.beforeId ?? null],
    );
    return rows.map((row) => ({
      ...deliveryFromRow(row),
      eventSeq: Number(row.event_seq),
      eventId: row.event_id,
      type: row.type,
      receivedAt: new Date(row.received_at).toISOString(),
    }));
  }

  requeue(query: RequeueQuery): Promise<number> {
    return this.health.track(requeueDeliveries(this.pool, query));
  }

  async retryPendingNow(sink: string, now: Date): Promise<number> {
    // Leases are on the database's clock, as in claimDue.
    const { rowCount } = await this.health.track(
      this.pool.query(
        `UPDATE deliveries SET next_attempt_at = $2
         WHERE sink = $1 AND status = 'pending' AND next_attempt_at > $2
           AND (lease_until IS NULL OR lease_until <= ${DB_NOW_MS})`,
        [sink, now.getTime()],
      ),
    );
    return rowCount ?? 0;
  }

  async listSinks(): Promise<string[]> {
    const { rows } = await this.pool.query<{ sink: string }>(
      'SELECT DISTINCT sink FROM deliveries ORDER BY sink',
    );
    return rows.map((row) => row.sink);
  }

  async deliveryBacklog(sinks: readonly string[]): Promise<SinkBacklog[]> {
    // Per sink, ranges of the (sink, status, next_attempt_at) index, as in the SQLite store.
    const { rows } = await this.pool.query<{
      sink: string;
      pending: number;
      dead: number;
      oldest: number | null;
    }>(
      `SELECT s.sink,
         (SELECT COUNT(*)::int FROM deliveries WHERE sink = s.sink AND status = 'pending') AS pending,
         (SELECT COUNT(*)::int FROM deliveries WHERE sink = s.sink AND status = 'dead') AS dead,
         (SELECT e.received_at FROM deliveries d JOIN events e ON e.seq = d.event_seq
            WHERE d.id = (SELECT MIN(id) FROM deliveries WHERE sink = s.sink AND status = 'pending')) AS oldest
       FROM unnest($1::text[]) AS s(sink)`,
      [sinks],
    );
    const bySink = new Map(rows.map((row) => [row.sink, row]));
    return sinks.map((sink) => {
      const row = bySink.get(sink);
      return {
        sink,
        pending: row?.pending ?? 0,
        dead: row?.dead ?? 0,
        oldestPendingReceivedAt: row?.oldest == null ? null : new Date(Number(row.oldest)),
      };
    });
  }

  deleteDeliveredBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.deleteOneBatch(`d.status <> 'delivered'`, cutoff, batchSize);
  }

  deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.deleteOneBatch(`d.status = 'pending'`, cutoff, batchSize);
  }

  /**
   * Deletes one batch of old events that have no delivery matching `blocking`, in one short
   * transaction (retention calls again while the batch was full). SKIP LOCKED lets two replicas run
   * retention at once without waiting on each other's rows.
   */
  private async deleteOneBatch(blocking: string, cutoff: Date, batchSize: number): Promise<number> {
    const { rowCount } = await this.write(
      `DELETE FROM events WHERE seq IN (
         SELECT seq FROM events e WHERE e.received_at < $1
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND ${blocking})
         LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff.getTime(), batchSize],
    );
    return rowCount ?? 0;
  }

  async countEvents(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM events');
    return rows[0]?.n ?? 0;
  }

  async readEventsAfter(afterSeq: number, limit: number): Promise<SequencedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      'SELECT * FROM events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [afterSeq, limit],
    );
    return rows.map((row) => ({ seq: Number(row.seq), envelope: envelopeFromRow(row) }));
  }

  async latestSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT COALESCE(MAX(seq), 0) AS n FROM events');
    return Number(rows[0]!.n);
  }

  async checkWritable(): Promise<void> {
    const { rows } = await this.pool.query<{ read_only: string; recovery: boolean }>(
      `SELECT current_setting('transaction_read_only') AS read_only, pg_is_in_recovery() AS recovery`,
    );
    const row = rows[0];
    if (!row || row.read_only === 'on' || row.recovery) {
      throw new Error('PostgreSQL is read-only (a standby?); point STORE_URL at the primary');
    }
    // After a failed write (a full tablespace, a lost connection), readiness follows writes: see
    // WriteHealth.recheck.
    await this.health.recheck(() => probeWrite(this.pool));
  }

  /** Ends the pool once; later calls wait for the same end (pg refuses a second `end()`). */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}
