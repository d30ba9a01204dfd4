import type Database from 'better-sqlite3';

/** How long a write waits for another connection's lock before failing (then the answer is 503). */
export const WRITE_BUSY_TIMEOUT_MS = 5000;
/**
 * WAL written between automatic checkpoints (SQLite counts it in pages of the file's own size).
 * The serving process checkpoints from a worker thread (WalCheckpointer); this is the safety net.
 */
const WAL_CHECKPOINT_BYTES = 256 * 1024 * 1024;

/**
 * The settings every connection to the store's file takes (they belong to a connection, not to the
 * file): the serving thread's, which reads, and the writer thread's, which writes.
 */
export function configureConnection(db: Database.Database): void {
  // NORMAL: COMMIT does not wait for the disk; WalSync flushes the WAL before any write resolves.
  db.pragma('synchronous = NORMAL');
  // The store removes an event's deliveries and attempts itself (see schema.ts).
  db.pragma('foreign_keys = OFF');
  // SQLite's own checkpoint (inside a COMMIT) only past 256 MB of WAL: the serving process
  // checkpoints from a thread of its own instead (see WalCheckpointer).
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${Math.round(WAL_CHECKPOINT_BYTES / pageSize)}`);
  db.pragma(`busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`);
}
