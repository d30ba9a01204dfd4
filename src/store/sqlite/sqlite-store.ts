import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Envelope } from '../../twitch/envelope.js';
import { globToLike } from '../glob.js';
import type {
  AttemptRecord,
  AttemptView,
  ClaimedDelivery,
  DeadDeliveryView,
  EventDetail,
  EventQuery,
  EventSummary,
  InsertOutcome,
  RequeueQuery,
  Store,
} from '../store.js';
import { GroupCommit, type JobOutcome } from './group-commit.js';
import { SqlFilter } from './sql-filter.js';
import { deliveryFromRow, envelopeFromRow, type DeliveryRow, type EventRow } from './rows.js';
import { MIGRATIONS } from './schema.js';

interface InsertJob {
  envelope: Envelope;
  sinks: readonly string[];
}

type WriteJob = () => unknown;

/** How long a write waits for another connection's lock before failing (then the answer is 503). */
const WRITE_BUSY_TIMEOUT_MS = 5000;
/** How long the readiness probe waits for the write lock. */
const READY_PROBE_BUSY_TIMEOUT_MS = 200;

/**
 * The embedded default store. WAL journal with `synchronous = FULL`: a transaction is on disk when
 * COMMIT returns, so an acknowledged event survives kill -9 and power loss. Inserts arriving in the
 * same event-loop tick share one transaction (group commit).
 */
export class SqliteStore implements Store {
  private readonly writes: GroupCommit<WriteJob, unknown>;
  private readonly insertEvent: Database.Statement;
  private readonly insertDelivery: Database.Statement;

  private constructor(private readonly db: Database.Database) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (id, message_type, type, version, twitch_timestamp, retry, subscription_json, event_json, received_at)
       VALUES (@id, @messageType, @type, @version, @timestamp, @retry, @subscription, @event, @receivedAt)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.insertDelivery = db.prepare(
      `INSERT INTO deliveries (event_seq, sink, status, next_attempt_at) VALUES (?, ?, 'pending', ?)`,
    );
    // Each job runs in its own savepoint (a nested better-sqlite3 transaction) inside the batch's
    // transaction, so a failing job rolls back alone and the rest still commit together.
    const savepoint = db.transaction((job: WriteJob) => job());
    const commit = db.transaction((jobs: WriteJob[]): JobOutcome<unknown>[] =>
      jobs.map((job) => {
        try {
          return { ok: true, value: savepoint(job) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    this.writes = new GroupCommit((jobs) => commit(jobs));
  }

  /** Opens (creating if needed) the database file and applies pending migrations. */
  static open(path: string): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`);
    migrate(db);
    return new SqliteStore(db);
  }

  private insertOne({ envelope, sinks }: InsertJob): InsertOutcome {
    const receivedAt = Date.parse(envelope.receivedAt);
    const result = this.insertEvent.run({
      ...envelope,
      subscription: JSON.stringify(envelope.subscription),
      event: envelope.event === null ? null : JSON.stringify(envelope.event),
      receivedAt,
    });
    if (result.changes === 0) return 'duplicate';
    for (const sink of sinks) this.insertDelivery.run(result.lastInsertRowid, sink, receivedAt);
    return 'stored';
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per SQL text: preparing costs more than running these small statements. */
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
    return this.writes.submit(job) as Promise<T>;
  }

  insertIfNew(envelope: Envelope, sinks: readonly string[]): Promise<InsertOutcome> {
    return this.write(() => this.insertOne({ envelope, sinks }));
  }

  async claimDue(sink: string, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const nowMs = now.getTime();
    const rows = await this.write(() => {
      const rows = this.sql(
        `SELECT d.id AS delivery_id, d.attempts, e.* FROM deliveries d JOIN events e ON e.seq = d.event_seq
           WHERE d.sink = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
             AND (d.lease_until IS NULL OR d.lease_until <= ?)
           ORDER BY d.next_attempt_at, d.id LIMIT ?`,
      ).all(sink, nowMs, nowMs, limit) as (EventRow & { delivery_id: number; attempts: number })[];
      const lease = this.sql('UPDATE deliveries SET lease_until = ? WHERE id = ?');
      for (const row of rows) lease.run(nowMs + leaseMs, row.delivery_id);
      return rows;
    });
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      sink,
      attempts: row.attempts,
      envelope: envelopeFromRow(row),
    }));
  }

  async recordSuccess(deliveryId: number, attempt: AttemptRecord): Promise<void> {
    await this.write(() => {
      const number = this.addAttempt(deliveryId, attempt);
      this.sql(
        `UPDATE deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, lease_until = NULL,
           next_attempt_at = NULL, last_error = NULL WHERE id = ?`,
      ).run(number, attempt.finishedAt.getTime(), deliveryId);
    });
  }

  async recordFailure(deliveryId: number, attempt: AttemptRecord, nextAttemptAt: Date | null): Promise<void> {
    await this.write(() => {
      const number = this.addAttempt(deliveryId, attempt);
      this.sql(
        `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL, last_error = ?
           WHERE id = ?`,
      ).run(
        nextAttemptAt ? 'pending' : 'dead',
        number,
        nextAttemptAt ? nextAttemptAt.getTime() : null,
        attempt.error ?? 'failed',
        deliveryId,
      );
    });
  }

  /** Appends the attempt row and returns its number (1-based). */
  private addAttempt(deliveryId: number, attempt: AttemptRecord): number {
    const { n } = this.sql(
      'SELECT COALESCE(MAX(attempt), 0) + 1 AS n FROM attempts WHERE delivery_id = ?',
    ).get(deliveryId) as { n: number };
    this.sql(
      'INSERT INTO attempts (delivery_id, attempt, started_at, finished_at, error) VALUES (?, ?, ?, ?, ?)',
    ).run(deliveryId, n, attempt.startedAt.getTime(), attempt.finishedAt.getTime(), attempt.error ?? null);
    return n;
  }

  async nextDueAt(sink: string): Promise<Date | null> {
    // Index order (sink, status, next_attempt_at); leased rows (at most a lane's concurrency) are skipped.
    const row = this.sql(
      `SELECT next_attempt_at AS due FROM deliveries
       WHERE sink = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY next_attempt_at LIMIT 1`,
    ).get(sink, Date.now()) as { due: number } | undefined;
    return row ? new Date(row.due) : null;
  }

  async getEvent(id: string): Promise<EventDetail | null> {
    const row = this.sql('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
    if (!row) return null;
    const deliveries = this.deliveriesOf(row.seq);
    const attempts = this.sql(
      `SELECT a.*, d.sink FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.event_seq = ? ORDER BY a.started_at, a.attempt`,
    ).all(row.seq) as {
      delivery_id: number;
      sink: string;
      attempt: number;
      started_at: number;
      finished_at: number;
      error: string | null;
    }[];
    return {
      envelope: envelopeFromRow(row),
      deliveries,
      attempts: attempts.map((a): AttemptView => ({
        deliveryId: a.delivery_id,
        sink: a.sink,
        attempt: a.attempt,
        startedAt: new Date(a.started_at),
        finishedAt: new Date(a.finished_at),
        ...(a.error !== null && { error: a.error }),
      })),
    };
  }

  private deliveriesOf(eventSeq: number) {
    const rows = this.sql('SELECT * FROM deliveries WHERE event_seq = ? ORDER BY sink').all(
      eventSeq,
    ) as DeliveryRow[];
    return rows.map(deliveryFromRow);
  }

  async listEvents(query: EventQuery): Promise<EventSummary[]> {
    const deliveryFilter = new SqlFilter()
      .add(true, 'd.event_seq = e.seq')
      .add(query.status, 'd.status = ?', query.status)
      .add(query.sink, 'd.sink = ?', query.sink);
    const filter = new SqlFilter()
      .add(query.type, `e.type LIKE ? ESCAPE '\\'`, query.type && globToLike(query.type))
      .add(query.since, 'e.received_at >= ?', query.since?.getTime())
      .add(
        query.status || query.sink,
        `EXISTS (SELECT 1 FROM deliveries d ${deliveryFilter.toSql()})`,
        ...deliveryFilter.params,
      );
    const rows = this.sql(`SELECT * FROM events e ${filter.toSql()} ORDER BY e.seq DESC LIMIT ?`).all(
      ...filter.params,
      query.limit ?? 50,
    ) as EventRow[];
    return rows.map((row) => ({
      id: row.id,
      messageType: row.message_type,
      type: row.type,
      version: row.version,
      receivedAt: new Date(row.received_at).toISOString(),
      deliveries: this.deliveriesOf(row.seq),
    }));
  }

  async listDead(query: { sink?: string; limit?: number }): Promise<DeadDeliveryView[]> {
    const rows = this.sql(
      `SELECT d.*, e.id AS event_id, e.type, e.received_at FROM deliveries d JOIN events e ON e.seq = d.event_seq
         WHERE d.status = 'dead' AND (? IS NULL OR d.sink = ?) ORDER BY d.id DESC LIMIT ?`,
    ).all(query.sink ?? null, query.sink ?? null, query.limit ?? 100) as (DeliveryRow & {
      event_id: string;
      type: string;
      received_at: number;
    })[];
    return rows.map((row) => ({
      ...deliveryFromRow(row),
      eventId: row.event_id,
      type: row.type,
      receivedAt: new Date(row.received_at).toISOString(),
    }));
  }

  async requeue(query: RequeueQuery): Promise<number> {
    const filter = new SqlFilter()
      .add(query.ids, `e.id IN (${query.ids?.map(() => '?').join(',') || 'NULL'})`, ...(query.ids ?? []))
      .add(query.since, 'e.received_at >= ?', query.since?.getTime())
      .add(query.type, `e.type LIKE ? ESCAPE '\\'`, query.type && globToLike(query.type))
      .add(query.sink, 'd.sink = ?', query.sink);
    const result = this.sql(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_until = NULL
         WHERE id IN (SELECT d.id FROM deliveries d JOIN events e ON e.seq = d.event_seq ${filter.toSql()})`,
    ).run(Date.now(), ...filter.params);
    return result.changes;
  }

  async deleteDeliveredBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.deleteInBatches(
      `SELECT seq FROM events e WHERE e.received_at < ?
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status <> 'delivered') LIMIT ?`,
      cutoff,
      batchSize,
    );
  }

  async deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.deleteInBatches(
      `SELECT seq FROM events e WHERE e.received_at < ?
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status = 'pending') LIMIT ?`,
      cutoff,
      batchSize,
    );
  }

  /** Deletes selected events a batch at a time so one retention pass never holds the write lock for long. */
  private deleteInBatches(selectSql: string, cutoff: Date, batchSize: number): number {
    const select = this.sql(selectSql).pluck();
    const remove = this.sql('DELETE FROM events WHERE seq = ?');
    let total = 0;
    for (;;) {
      const deleted = this.db.transaction(() => {
        const seqs = select.all(cutoff.getTime(), batchSize) as number[];
        for (const seq of seqs) remove.run(seq);
        return seqs.length;
      })();
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  async countEvents(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
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
  }

  async close(): Promise<void> {
    this.writes.flush();
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
