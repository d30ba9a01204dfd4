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
import { eventInsertOf } from './insert-event.js';
import { SqlFilter } from './sql-filter.js';
import { envelopeFromRow, type EventRow } from '../rows.js';
import { restrictStoreFiles } from './file-modes.js';
import { migrate } from './schema.js';
import { WalCheckpointer } from './checkpointer.js';
import { WriteHealth } from '../write-health.js';
import { configureConnection } from './connection.js';
import { SqliteWriter } from './sqlite-writer.js';
import { inThreadWriter, WorkerWriter, type Writer } from './writer-client.js';
import type { AttemptData } from './write-ops.js';

/** Page size of a new database file. */
const PAGE_SIZE = 2048;

function attemptData(attempt: AttemptRecord): AttemptData {
  return {
    startedAtMs: attempt.startedAt.getTime(),
    finishedAtMs: attempt.finishedAt.getTime(),
    error: attempt.error,
    response: attempt.response,
  };
}

/**
 * The embedded default store. Every write goes to one writer (SqliteWriter), on a thread of its own
 * for a file: writes issued together share one transaction (group commit), and a write's promise
 * resolves only after that transaction is on disk (COMMIT with `synchronous = NORMAL`, then an
 * fdatasync of the WAL), so an acknowledged event survives kill -9 and power loss. The serving
 * thread keeps a connection of its own for reads (WAL: readers never wait for the writer) and
 * never writes once the file is migrated, so there is one writer and no lock to wait for.
 * Checkpoints are synced by SQLite itself.
 */
export class SqliteStore implements Store {
  /** One process serves from the file: its dedup index is in memory (see MessageIdIndex). */
  readonly sharedByReplicas = false;
  private readonly health = new WriteHealth();
  /** Deliveries a claim chose and is leasing through the writer (see claimDue). */
  private readonly leasing = new Set<number>();
  /** Whether the writer's dedup index is loaded (the serving process): `getEvent` then asks it. */
  private warm = false;

  private checkpointer: WalCheckpointer | undefined;

  private constructor(
    private readonly db: Database.Database,
    private readonly writer: Writer,
    private readonly path: string,
  ) {}

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
    configureConnection(db);
    migrate(db);
    // A database in memory exists only on this connection: its writer runs here.
    const writer =
      path === ':memory:' ? inThreadWriter(new SqliteWriter(db, undefined)) : new WorkerWriter(path);
    return new SqliteStore(db, writer, path);
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

  /** One write through the writer; resolves once its transaction is durable. */
  private write<T>(op: Parameters<Writer['run']>[0], ...args: unknown[]): Promise<T> {
    return this.health.track(this.writer.run(op, args) as Promise<T>);
  }

  /**
   * For the serving process, once before it accepts events: has the writer read every stored
   * message id into its dedup index (about 1 s per million events; otherwise the first write does)
   * and starts checkpointing the WAL from a worker thread. `onError` hears about failed checkpoints.
   */
  async warmUp(onError: (message: string) => void = () => undefined): Promise<void> {
    await this.writer.loadIds();
    this.warm = true;
    if (this.path !== ':memory:' && !this.checkpointer) {
      this.checkpointer = new WalCheckpointer(this.path, (message) =>
        onError(`WAL checkpoint failed (${message}); retrying every 200 ms`),
      );
    }
  }

  insertEvent(envelope: Envelope, deliveries: readonly NewDelivery[]): Promise<InsertResult> {
    return this.write('insert', eventInsertOf(envelope), deliveries);
  }

  async claimDue(sink: string, now: Date, limit: ClaimLimit, leaseMs: number): Promise<ClaimedDelivery[]> {
    const nowMs = now.getTime();
    const claimToken = randomUUID();
    const slots = claimSlotsOf(limit);
    // The slots are counted when the claim reads, a turn of the event loop later (as the group
    // commit of a single-threaded store would), and what it chose is held in the same step: the lane
    // holds no idle slots while its lease goes to the writer and waits for the disk.
    await new Promise((resolve) => setImmediate(resolve));
    const free = slots.free();
    if (free <= 0) {
      slots.hold(0);
      return [];
    }
    // Deliveries another claim of this store chose and is leasing right now look free to this read
    // until that lease commits: passed over, so concurrent claims take disjoint deliveries.
    const rows = (
      this.sql(
        `SELECT d.id AS delivery_id, d.attempts, e.* FROM deliveries d JOIN event_rows e ON e.seq = d.event_seq
           WHERE d.sink = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
             AND (d.lease_until IS NULL OR d.lease_until <= ?)
           ORDER BY d.next_attempt_at, d.id LIMIT ?`,
      ).all(sink, nowMs, nowMs, free + this.leasing.size) as (EventRow & {
        delivery_id: number;
        attempts: number;
      })[]
    )
      .filter((row) => !this.leasing.has(row.delivery_id))
      .slice(0, free);
    slots.hold(rows.length);
    if (rows.length === 0) return [];
    const chosen = rows.map((row) => row.delivery_id);
    for (const id of chosen) this.leasing.add(id);
    let leased: number[];
    try {
      leased = await this.write<number[]>('lease', chosen, nowMs, leaseMs, claimToken);
    } catch (error) {
      slots.hold(0);
      throw error;
    } finally {
      for (const id of chosen) this.leasing.delete(id);
    }
    const taken = new Set(leased);
    const claimed = taken.size === rows.length ? rows : rows.filter((row) => taken.has(row.delivery_id));
    slots.hold(claimed.length);
    return claimed.map((row) => ({
      deliveryId: row.delivery_id,
      claimToken,
      sink,
      attempts: row.attempts,
      envelope: envelopeFromRow(row),
    }));
  }

  recordSuccess(claim: DeliveryClaim, attempt: AttemptRecord): Promise<boolean> {
    return this.write('recordSuccess', claim.deliveryId, claim.claimToken, attemptData(attempt));
  }

  recordFailure(claim: DeliveryClaim, attempt: AttemptRecord, nextAttemptAt: Date | null): Promise<boolean> {
    return this.write(
      'recordFailure',
      claim.deliveryId,
      claim.claimToken,
      attemptData(attempt),
      nextAttemptAt ? nextAttemptAt.getTime() : null,
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
  releaseAllClaims(): Promise<number> {
    return this.write('releaseAllClaims');
  }

  async getEvent(id: string): Promise<EventDetail | null> {
    // With the dedup index loaded (the serving process) the row is found by seq; otherwise a scan.
    return getEventDetail(this.prepare, id, this.warm ? await this.writer.findSeq(id) : undefined);
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
    const seqs =
      this.warm && query.ids ? await Promise.all(query.ids.map((id) => this.writer.findSeq(id))) : undefined;
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
    return this.write(
      'requeue',
      `SELECT d.id FROM deliveries d JOIN events e ON e.seq = d.event_seq ${filter.toSql()}`,
      filter.params,
      now,
    );
  }

  async retryPendingNow(sink: string, now: Date): Promise<number> {
    // A range of the partial index deliveries_pending (sink, next_attempt_at): those due later.
    return this.write('retryPendingNow', sink, now.getTime());
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
    return this.write('deleteDeliveredBefore', cutoff.getTime(), batchSize);
  }

  deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.write('deleteDeadBefore', cutoff.getTime(), batchSize);
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
    // BEGIN IMMEDIATE on the writer's connection takes the write lock: fails on a read-only file, a
    // full disk or a stuck writer. It waits briefly, not the 5 s a write may wait.
    await this.writer.checkLock();
    // The lock is free, but a full disk or a read-only file system only shows when a write commits:
    // after a failed write, readiness follows writes (a probe through the same group commit and WAL
    // flush as events), see WriteHealth.recheck.
    await this.health.recheck(() => this.writer.run('probe', []));
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    if (this.db.open) this.db.close();
  }
}
