import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Envelope } from '../../twitch/envelope.js';
import { globToLike } from '../../twitch/glob.js';
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
import { getEventDetail, listDeadDeliveries, listEventSummaries, type Prepare } from './event-queries.js';
import { batchTransaction, combineJournals, type WriteJob } from './batch-transaction.js';
import { GroupCommit } from './group-commit.js';
import { EventInserter } from './insert-event.js';
import { MessageIdIndex } from './message-id-index.js';
import { DEAD_BEFORE, DELIVERED_BEFORE, deleteOneBatch } from './retention-queries.js';
import { SqlFilter } from './sql-filter.js';
import { envelopeFromRow, type EventRow } from '../rows.js';
import { restrictStoreFiles } from './file-modes.js';
import { migrate } from './schema.js';
import { WalCheckpointer } from './checkpointer.js';
import { WalSync } from './wal-sync.js';
import { WriteHealth } from '../write-health.js';

/** The smallest real write: sets the schema version to what it is (one WAL frame, nothing changes). */
function rewriteSchemaVersion(db: Database.Database): void {
  db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
}

/** How long a write waits for another connection's lock before failing (then the answer is 503). */
const WRITE_BUSY_TIMEOUT_MS = 5000;
/** Page size of a new database file. */
const PAGE_SIZE = 2048;
/**
 * WAL written between automatic checkpoints (SQLite counts it in pages of the file's own size).
 * The serving process checkpoints from a worker thread (WalCheckpointer); this is the safety net.
 */
const WAL_CHECKPOINT_BYTES = 256 * 1024 * 1024;
/** How long the readiness probe waits for the write lock. */
const READY_PROBE_BUSY_TIMEOUT_MS = 200;

/**
 * The embedded default store. Writes issued in the same event-loop tick share one transaction
 * (group commit); a write's promise resolves only after that transaction is on disk (WalSync:
 * COMMIT with `synchronous = NORMAL`, then an fdatasync of the WAL off the main thread), so an
 * acknowledged event survives kill -9 and power loss. Checkpoints are synced by SQLite itself.
 */
export class SqliteStore implements Store {
  /** One process serves from the file: its dedup index is in memory (see MessageIdIndex). */
  readonly sharedByReplicas = false;
  private readonly writes: GroupCommit<WriteJob, unknown>;
  private readonly events: EventInserter;
  private readonly health = new WriteHealth();
  private readonly ids: MessageIdIndex;
  /** Whether `ids` holds every stored event yet (built on first use: read-only commands never need it). */
  private idsLoaded = false;

  private checkpointer: WalCheckpointer | undefined;

  private constructor(
    private readonly db: Database.Database,
    private readonly walSync: WalSync | undefined,
    private readonly path: string,
  ) {
    const idOf = db.prepare('SELECT id FROM events WHERE seq = ?').pluck();
    this.ids = new MessageIdIndex((seq) => idOf.get(seq) as string | undefined);
    this.events = new EventInserter(db, this.ids);
    this.writes = new GroupCommit(
      batchTransaction(db, combineJournals(this.ids, this.events)),
      walSync ? () => walSync.sync() : undefined,
    );
  }

  /** Opens (creating if needed, mode 0600) the database file and applies pending migrations. */
  static open(path: string): SqliteStore {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      restrictStoreFiles(path);
    }
    const db = new Database(path);
    // 2 KiB pages for a new file (an existing one keeps its own): every group commit rewrites the
    // last, partly filled page of each table it appends to, so smaller pages halve that rewrite.
    // Measured with bench/disk-cost.mjs: 2.8 KB written per event with 4 KiB pages, 2.3 KB with 2 KiB.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    // NORMAL: COMMIT does not wait for the disk; WalSync flushes the WAL before any write resolves.
    db.pragma('synchronous = NORMAL');
    // The store removes an event's deliveries and attempts itself (see schema.ts).
    db.pragma('foreign_keys = OFF');
    // SQLite's own checkpoint (inside a COMMIT, on the event loop) only past 256 MB of WAL: the
    // serving process checkpoints from a worker thread instead (see warmUp).
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.round(WAL_CHECKPOINT_BYTES / pageSize)}`);
    db.pragma(`busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`);
    migrate(db);
    return new SqliteStore(db, path === ':memory:' ? undefined : new WalSync(`${path}-wal`), path);
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per SQL text: preparing costs more than running these small statements. */
  private readonly prepare: Prepare = (text) => this.sql(text);

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Queues a write for the next group commit; resolves once that transaction is durable. */
  private write<T>(job: () => T): Promise<T> {
    return this.health.track(this.writes.submit(job) as Promise<T>);
  }

  /**
   * For the serving process, once before it accepts events: reads every stored message id into
   * the in-memory dedup index (about 1 s per million events; otherwise the first write does) and
   * starts checkpointing the WAL from a worker thread. `onError` hears about failed checkpoints.
   */
  async warmUp(onError: (message: string) => void = () => undefined): Promise<void> {
    this.loadIds();
    if (this.path !== ':memory:' && !this.checkpointer) {
      this.checkpointer = new WalCheckpointer(this.path, (message) =>
        onError(`WAL checkpoint failed (${message}); retrying every 200 ms`),
      );
    }
  }

  private loadIds(): MessageIdIndex {
    if (!this.idsLoaded) {
      for (const row of this.sql('SELECT seq, id FROM events').raw().iterate() as Iterable<[number, string]>)
        this.ids.add(row[1], row[0]);
      this.idsLoaded = true;
    }
    return this.ids;
  }

  insertEvent(envelope: Envelope, deliveries: readonly NewDelivery[]): Promise<InsertResult> {
    this.loadIds();
    return this.write(() => this.events.insert(envelope, deliveries));
  }

  async claimDue(sink: string, now: Date, limit: ClaimLimit, leaseMs: number): Promise<ClaimedDelivery[]> {
    const nowMs = now.getTime();
    const claimToken = randomUUID();
    const slots = claimSlotsOf(limit);
    // The slots are counted when the claim runs inside its group commit, and what it leased is held
    // in the same step: the lane holds no idle slots while the commit waits for the disk.
    const rows = await this.write(() => {
      const free = slots.free();
      if (free <= 0) {
        slots.hold(0);
        return [];
      }
      const rows = this.sql(
        `SELECT d.id AS delivery_id, d.attempts, e.* FROM deliveries d JOIN event_rows e ON e.seq = d.event_seq
           WHERE d.sink = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
             AND (d.lease_until IS NULL OR d.lease_until <= ?)
           ORDER BY d.next_attempt_at, d.id LIMIT ?`,
      ).all(sink, nowMs, nowMs, free) as (EventRow & { delivery_id: number; attempts: number })[];
      const lease = this.sql('UPDATE deliveries SET lease_until = ?, claim_token = ? WHERE id = ?');
      for (const row of rows) lease.run(nowMs + leaseMs, claimToken, row.delivery_id);
      slots.hold(rows.length);
      return rows;
    });
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      claimToken,
      sink,
      attempts: row.attempts,
      envelope: envelopeFromRow(row),
    }));
  }

  async recordSuccess(claim: DeliveryClaim, attempt: AttemptRecord): Promise<boolean> {
    return this.write(() => {
      // The successful attempt lives in the delivery row (started_at, delivered_at): no attempts
      // row, so the common case, delivered at the first try, writes nothing but this update.
      const { changes } = this.sql(
        `UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, started_at = ?, delivered_at = ?,
           lease_until = NULL, claim_token = NULL, next_attempt_at = NULL, last_error = NULL
         WHERE id = ? AND claim_token = ?`,
      ).run(attempt.startedAt.getTime(), attempt.finishedAt.getTime(), claim.deliveryId, claim.claimToken);
      return changes > 0;
    });
  }

  async recordFailure(
    claim: DeliveryClaim,
    attempt: AttemptRecord,
    nextAttemptAt: Date | null,
  ): Promise<boolean> {
    return this.write(() => {
      const { changes } = this.sql(
        `UPDATE deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL,
           claim_token = NULL, last_error = ?
         WHERE id = ? AND claim_token = ?`,
      ).run(
        nextAttemptAt ? 'pending' : 'dead',
        nextAttemptAt ? nextAttemptAt.getTime() : null,
        attempt.error ?? 'failed',
        claim.deliveryId,
        claim.claimToken,
      );
      if (changes === 0) return false;
      this.addAttempt(claim.deliveryId, attempt);
      return true;
    });
  }

  /** Appends the attempt to the delivery's history (numbered 1, 2, … across replays). */
  private addAttempt(deliveryId: number, attempt: AttemptRecord): void {
    this.sql(
      `INSERT INTO attempts (delivery_id, attempt, started_at, finished_at, error, response)
       SELECT ?, COALESCE(MAX(attempt), 0) + 1, ?, ?, ?, ? FROM attempts WHERE delivery_id = ?`,
    ).run(
      deliveryId,
      attempt.startedAt.getTime(),
      attempt.finishedAt.getTime(),
      attempt.error ?? null,
      attempt.response ?? null,
      deliveryId,
    );
  }

  async nextDueAt(sink: string, now: Date): Promise<Date | null> {
    // Index order (sink, status, next_attempt_at); leased rows (at most a lane's concurrency) are skipped.
    const row = this.sql(
      `SELECT next_attempt_at AS due FROM deliveries
       WHERE sink = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY next_attempt_at LIMIT 1`,
    ).get(sink, now.getTime()) as { due: number } | undefined;
    return row ? new Date(row.due) : null;
  }

  /** Every lease in the file was taken by a process that is gone (see DeliveryQueue.releaseAllClaims). */
  async releaseAllClaims(): Promise<number> {
    return this.write(
      () =>
        this.sql(
          'UPDATE deliveries SET lease_until = NULL, claim_token = NULL WHERE lease_until IS NOT NULL',
        ).run().changes,
    );
  }

  async getEvent(id: string): Promise<EventDetail | null> {
    // With the dedup index loaded (the serving process) the row is found by seq; otherwise a scan.
    return getEventDetail(this.prepare, id, this.idsLoaded ? this.ids.find(id) : undefined);
  }

  async listEvents(query: EventQuery): Promise<EventSummary[]> {
    return listEventSummaries(this.prepare, query);
  }

  async listDead(query: DeliveryListQuery): Promise<DeadDeliveryView[]> {
    return listDeadDeliveries(this.prepare, query);
  }

  async requeue(query: RequeueQuery): Promise<number> {
    const now = Date.now();
    // With the dedup index loaded (the serving process), message ids become seqs: the events are
    // then found by primary key, not by a scan of the table (there is no index on the id).
    const seqs = this.idsLoaded ? query.ids?.map((id) => this.ids.find(id)) : undefined;
    const bySeq = seqs?.every((seq) => seq !== undefined) ? (seqs as number[]) : undefined;
    const filter = new SqlFilter()
      .add(bySeq, `e.seq IN (${bySeq?.map(() => '?').join(',') || 'NULL'})`, ...(bySeq ?? []))
      .add(
        query.ids && !bySeq,
        `e.id IN (${query.ids?.map(() => '?').join(',') || 'NULL'})`,
        ...(query.ids ?? []),
      )
      .add(query.since, 'e.received_at >= ?', query.since?.getTime())
      .add(query.type, `e.type LIKE ? ESCAPE '\\'`, query.type && globToLike(query.type))
      .add(query.sink, 'd.sink = ?', query.sink)
      .add(true, `NOT (d.status = 'pending' AND COALESCE(d.lease_until, 0) > ?)`, now);
    return this.write(() => {
      const ids = this.sql(
        `SELECT d.id FROM deliveries d JOIN events e ON e.seq = d.event_seq ${filter.toSql()}`,
      )
        .pluck()
        .all(...filter.params) as number[];
      // A delivered one keeps its successful attempt in the history: moved to the attempts table
      // before the row starts a new schedule.
      const archive = this.sql(
        `INSERT INTO attempts (delivery_id, attempt, started_at, finished_at, error)
         SELECT d.id, COALESCE((SELECT MAX(attempt) FROM attempts WHERE delivery_id = d.id), 0) + 1,
                d.started_at, d.delivered_at, NULL
         FROM deliveries d WHERE d.id = ? AND d.started_at IS NOT NULL AND d.delivered_at IS NOT NULL`,
      );
      const reset = this.sql(
        `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL,
           claim_token = NULL, started_at = NULL, delivered_at = NULL
         WHERE id = ?`,
      );
      for (const id of ids) {
        archive.run(id);
        reset.run(now, id);
      }
      return ids.length;
    });
  }

  async retryPendingNow(sink: string, now: Date): Promise<number> {
    // A range of the partial index deliveries_pending (sink, next_attempt_at): those due later.
    return this.write(
      () =>
        this.sql(
          `UPDATE deliveries SET next_attempt_at = ?
           WHERE sink = ? AND status = 'pending' AND next_attempt_at > ?
             AND (lease_until IS NULL OR lease_until <= ?)`,
        ).run(now.getTime(), sink, now.getTime(), now.getTime()).changes,
    );
  }

  async listSinks(): Promise<string[]> {
    return this.sql('SELECT DISTINCT sink FROM deliveries ORDER BY sink').pluck().all() as string[];
  }

  async deliveryBacklog(sinks: readonly string[]): Promise<SinkBacklog[]> {
    // Each count is a range of the (sink, status, next_attempt_at) index; the oldest pending delivery
    // is the lowest id in that range (ids grow with inserts), then one lookup of its event.
    const statement = this.sql(
      `SELECT
         (SELECT COUNT(*) FROM deliveries WHERE sink = $sink AND status = 'pending') AS pending,
         (SELECT COUNT(*) FROM deliveries WHERE sink = $sink AND status = 'dead') AS dead,
         (SELECT e.received_at FROM deliveries d JOIN events e ON e.seq = d.event_seq
            WHERE d.id = (SELECT MIN(id) FROM deliveries WHERE sink = $sink AND status = 'pending')) AS oldest`,
    );
    return sinks.map((sink) => {
      const row = statement.get({ sink }) as { pending: number; dead: number; oldest: number | null };
      return {
        sink,
        pending: row.pending,
        dead: row.dead,
        oldestPendingReceivedAt: row.oldest === null ? null : new Date(row.oldest),
      };
    });
  }

  // One batch per call, in the group commit: retention (store/retention.ts) calls again while the
  // batch was full and lets /callback run in between.
  deleteDeliveredBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.write(() => deleteOneBatch(this.prepare, DELIVERED_BEFORE, cutoff, batchSize, this.ids));
  }

  deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.write(() => deleteOneBatch(this.prepare, DEAD_BEFORE, cutoff, batchSize, this.ids));
  }

  async countEvents(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  async readEventsAfter(afterSeq: number, limit: number): Promise<SequencedEvent[]> {
    const rows = this.sql('SELECT * FROM event_rows WHERE seq > ? ORDER BY seq LIMIT ?').all(
      afterSeq,
      limit,
    ) as EventRow[];
    return rows.map((row) => ({ seq: row.seq, envelope: envelopeFromRow(row) }));
  }

  async latestSeq(): Promise<number> {
    return (this.sql('SELECT COALESCE(MAX(seq), 0) AS n FROM events').get() as { n: number }).n;
  }

  async checkWritable(): Promise<void> {
    // BEGIN IMMEDIATE takes the write lock: fails on a read-only file, a full disk or a stuck writer.
    // better-sqlite3 waits for a busy lock synchronously, freezing every request meanwhile: a probe
    // waits briefly, not the 5 s a write may wait.
    this.db.pragma(`busy_timeout = ${READY_PROBE_BUSY_TIMEOUT_MS}`);
    try {
      this.db.exec('BEGIN IMMEDIATE; ROLLBACK;');
    } finally {
      this.db.pragma(`busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`);
    }
    // The lock is free, but a full disk or a read-only file system only shows when a write commits:
    // after a failed write, readiness follows writes (a probe through the same group commit and WAL
    // flush as events), see WriteHealth.recheck.
    await this.health.recheck(() => this.writes.submit(() => rewriteSchemaVersion(this.db)));
  }

  async close(): Promise<void> {
    await this.writes.drain();
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    await this.walSync?.close();
    if (this.db.open) this.db.close();
  }
}
