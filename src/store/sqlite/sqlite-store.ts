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
import { GroupCommit } from './group-commit.js';
import { deliveryFromRow, envelopeFromRow, type DeliveryRow, type EventRow } from './rows.js';
import { MIGRATIONS } from './schema.js';

interface InsertJob {
  envelope: Envelope;
  sinks: readonly string[];
}

/**
 * The embedded default store. WAL journal with `synchronous = FULL`: a transaction is on disk when
 * COMMIT returns, so an acknowledged event survives kill -9 and power loss. Inserts arriving in the
 * same event-loop tick share one transaction (group commit).
 */
export class SqliteStore implements Store {
  private readonly inserts: GroupCommit<InsertJob, InsertOutcome>;
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
    const commit = db.transaction((jobs: InsertJob[]) => jobs.map((job) => this.insertOne(job)));
    this.inserts = new GroupCommit((jobs) => commit(jobs));
  }

  /** Opens (creating if needed) the database file and applies pending migrations. */
  static open(path: string): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
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

  insertIfNew(envelope: Envelope, sinks: readonly string[]): Promise<InsertOutcome> {
    return this.inserts.submit({ envelope, sinks });
  }

  async claimDue(sink: string, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const nowMs = now.getTime();
    const claim = this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT d.id AS delivery_id, d.attempts, e.* FROM deliveries d JOIN events e ON e.seq = d.event_seq
           WHERE d.sink = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
             AND (d.lease_until IS NULL OR d.lease_until <= ?)
           ORDER BY d.next_attempt_at, d.id LIMIT ?`,
        )
        .all(sink, nowMs, nowMs, limit) as (EventRow & { delivery_id: number; attempts: number })[];
      const lease = this.db.prepare('UPDATE deliveries SET lease_until = ? WHERE id = ?');
      for (const row of rows) lease.run(nowMs + leaseMs, row.delivery_id);
      return rows;
    });
    return claim().map((row) => ({
      deliveryId: row.delivery_id,
      sink,
      attempts: row.attempts,
      envelope: envelopeFromRow(row),
    }));
  }

  async recordSuccess(deliveryId: number, attempt: AttemptRecord): Promise<void> {
    this.db.transaction(() => {
      const number = this.addAttempt(deliveryId, attempt);
      this.db
        .prepare(
          `UPDATE deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, lease_until = NULL,
           next_attempt_at = NULL, last_error = NULL WHERE id = ?`,
        )
        .run(number, attempt.finishedAt.getTime(), deliveryId);
    })();
  }

  async recordFailure(deliveryId: number, attempt: AttemptRecord, nextAttemptAt: Date | null): Promise<void> {
    this.db.transaction(() => {
      const number = this.addAttempt(deliveryId, attempt);
      this.db
        .prepare(
          `UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL, last_error = ?
           WHERE id = ?`,
        )
        .run(
          nextAttemptAt ? 'pending' : 'dead',
          number,
          nextAttemptAt ? nextAttemptAt.getTime() : null,
          attempt.error ?? 'failed',
          deliveryId,
        );
    })();
  }

  /** Appends the attempt row and returns its number (1-based). */
  private addAttempt(deliveryId: number, attempt: AttemptRecord): number {
    const { n } = this.db
      .prepare('SELECT COALESCE(MAX(attempt), 0) + 1 AS n FROM attempts WHERE delivery_id = ?')
      .get(deliveryId) as { n: number };
    this.db
      .prepare(
        'INSERT INTO attempts (delivery_id, attempt, started_at, finished_at, error) VALUES (?, ?, ?, ?, ?)',
      )
      .run(deliveryId, n, attempt.startedAt.getTime(), attempt.finishedAt.getTime(), attempt.error ?? null);
    return n;
  }

  async nextDueAt(sink: string): Promise<Date | null> {
    const row = this.db
      .prepare(
        `SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until, 0))) AS due FROM deliveries
         WHERE sink = ? AND status = 'pending'`,
      )
      .get(sink) as { due: number | null };
    return row.due === null ? null : new Date(row.due);
  }

  async getEvent(id: string): Promise<EventDetail | null> {
    const row = this.db.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
    if (!row) return null;
    const deliveries = this.deliveriesOf(row.seq);
    const attempts = this.db
      .prepare(
        `SELECT a.*, d.sink FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.event_seq = ? ORDER BY a.started_at, a.attempt`,
      )
      .all(row.seq) as {
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
    const rows = this.db
      .prepare('SELECT * FROM deliveries WHERE event_seq = ? ORDER BY sink')
      .all(eventSeq) as DeliveryRow[];
    return rows.map(deliveryFromRow);
  }

  async listEvents(query: EventQuery): Promise<EventSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.type) {
      where.push(`e.type LIKE ? ESCAPE '\\'`);
      params.push(globToLike(query.type));
    }
    if (query.since) {
      where.push('e.received_at >= ?');
      params.push(query.since.getTime());
    }
    if (query.status || query.sink) {
      const conditions = ['d.event_seq = e.seq'];
      if (query.status) (conditions.push('d.status = ?'), params.push(query.status));
      if (query.sink) (conditions.push('d.sink = ?'), params.push(query.sink));
      where.push(`EXISTS (SELECT 1 FROM deliveries d WHERE ${conditions.join(' AND ')})`);
    }
    const sql = `SELECT * FROM events e ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
                 ORDER BY e.seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, query.limit ?? 50) as EventRow[];
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
    const rows = this.db
      .prepare(
        `SELECT d.*, e.id AS event_id, e.type, e.received_at FROM deliveries d JOIN events e ON e.seq = d.event_seq
         WHERE d.status = 'dead' AND (? IS NULL OR d.sink = ?) ORDER BY d.id DESC LIMIT ?`,
      )
      .all(query.sink ?? null, query.sink ?? null, query.limit ?? 100) as (DeliveryRow & {
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
    const where: string[] = [];
    const params: unknown[] = [Date.now()];
    if (query.ids) {
      where.push(`e.id IN (${query.ids.map(() => '?').join(',') || 'NULL'})`);
      params.push(...query.ids);
    }
    if (query.since) (where.push('e.received_at >= ?'), params.push(query.since.getTime()));
    if (query.type) (where.push(`e.type LIKE ? ESCAPE '\\'`), params.push(globToLike(query.type)));
    if (query.sink) (where.push('d.sink = ?'), params.push(query.sink));
    const result = this.db
      .prepare(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_until = NULL
         WHERE id IN (SELECT d.id FROM deliveries d JOIN events e ON e.seq = d.event_seq
                      ${where.length ? 'WHERE ' + where.join(' AND ') : ''})`,
      )
      .run(...params);
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
    const select = this.db.prepare(selectSql).pluck();
    const remove = this.db.prepare('DELETE FROM events WHERE seq = ?');
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
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  async checkWritable(): Promise<void> {
    // BEGIN IMMEDIATE takes the write lock: fails on a read-only file, a full disk or a stuck writer.
    this.db.exec('BEGIN IMMEDIATE; ROLLBACK;');
  }

  async close(): Promise<void> {
    this.inserts.flush();
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
