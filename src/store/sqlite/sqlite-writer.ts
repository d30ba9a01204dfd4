import Database from 'better-sqlite3';
import { batchTransaction, combineJournals, type WriteJob } from './batch-transaction.js';
import { configureConnection, WRITE_BUSY_TIMEOUT_MS } from './connection.js';
import type { Prepare } from './event-queries.js';
import { GroupCommit } from './group-commit.js';
import { EventInserter } from './insert-event.js';
import { MessageIdIndex } from './message-id-index.js';
import { WalSync } from './wal-sync.js';
import { createWriteOps, type WriteOpName, type WriteOps } from './write-ops.js';

/** How long the readiness probe waits for the write lock. */
const READY_PROBE_BUSY_TIMEOUT_MS = 200;

/**
 * The one connection that writes the store's file, and everything that must follow its
 * transactions: the group commit (many writes, one transaction, one WAL fdatasync), the event
 * numbering and the in-memory message-id index. A write's promise resolves only once its
 * transaction is on disk. It runs on the writer thread (writer-thread.ts) for a file, and on the
 * caller's thread for a database in memory (which a second thread cannot open).
 */
export class SqliteWriter {
  private readonly writes: GroupCommit<WriteJob, unknown>;
  private readonly ids: MessageIdIndex;
  private readonly ops: WriteOps;
  private readonly statements = new Map<string, Database.Statement>();
  /** Whether `ids` holds every stored event yet (built on first use: read-only commands never write). */
  private idsLoaded = false;

  constructor(
    private readonly db: Database.Database,
    private readonly walSync: WalSync | undefined,
  ) {
    const idOf = db.prepare('SELECT id FROM events WHERE seq = ?').pluck();
    this.ids = new MessageIdIndex((seq) => idOf.get(seq) as string | undefined);
    const events = new EventInserter(db, this.ids);
    const sql: Prepare = (text) => {
      let statement = this.statements.get(text);
      if (!statement) {
        statement = db.prepare(text);
        this.statements.set(text, statement);
      }
      return statement;
    };
    this.ops = createWriteOps(db, sql, events, this.ids);
    this.writes = new GroupCommit(
      batchTransaction(db, combineJournals(this.ids, events)),
      walSync ? () => walSync.sync() : undefined,
    );
  }

  /** A connection of its own to the store's file (already created and migrated by the store). */
  static openFile(path: string): SqliteWriter {
    const db = new Database(path, { fileMustExist: true });
    configureConnection(db);
    return new SqliteWriter(db, new WalSync(`${path}-wal`));
  }

  /** Queues the operation for the next group commit; resolves once that transaction is durable. */
  run(op: WriteOpName, args: readonly unknown[]): Promise<unknown> {
    // The index must hold every stored event before an insert consults it (a delete only removes).
    if (op === 'insert') this.loadIds();
    const operation = this.ops[op] as (...values: readonly unknown[]) => unknown;
    return this.writes.submit(() => operation(...args));
  }

  /** Reads every stored message id into the dedup index (about 1 s per million events), once. */
  loadIds(): void {
    if (this.idsLoaded) return;
    for (const row of this.db.prepare('SELECT seq, id FROM events').raw().iterate() as Iterable<
      [number, string]
    >)
      this.ids.add(row[1], row[0]);
    this.idsLoaded = true;
  }

  /** The stored event's seq by message id, when the index is loaded (else undefined: scan instead). */
  findSeq(id: string): number | undefined {
    return this.idsLoaded ? this.ids.find(id) : undefined;
  }

  /**
   * Takes the write lock and lets it go (BEGIN IMMEDIATE): fails on a read-only file, or a lock
   * another process holds longer than the probe waits. Between group commits no transaction is open.
   */
  checkLock(): void {
    this.db.pragma(`busy_timeout = ${READY_PROBE_BUSY_TIMEOUT_MS}`);
    try {
      this.db.exec('BEGIN IMMEDIATE; ROLLBACK;');
    } finally {
      this.db.pragma(`busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`);
    }
  }

  /** Commits what is queued, waits for it to be durable, then closes the WAL file (not the connection). */
  async drain(): Promise<void> {
    await this.writes.drain();
    await this.walSync?.close();
  }

  /** drain, then closes the connection (the writer thread's own). */
  async close(): Promise<void> {
    await this.drain();
    if (this.db.open) this.db.close();
  }
}
