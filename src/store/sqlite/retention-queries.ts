import type Database from 'better-sqlite3';
import type { Prepare } from './event-queries.js';

/** Retention for SQLite: which old events may go, deleted a batch at a time. */

/** Old events whose deliveries are all delivered (or that have none). */
export const DELIVERED_BEFORE = `SELECT seq FROM events e WHERE e.received_at < ?
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status <> 'delivered') LIMIT ?`;

/** Old events with no pending delivery left (dead ones go; the retention of dead deliveries). */
export const DEAD_BEFORE = `SELECT seq FROM events e WHERE e.received_at < ?
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status = 'pending') LIMIT ?`;

/** Deletes selected events a batch at a time so one retention pass never holds the write lock for long. */
export function deleteInBatches(
  db: Database.Database,
  sql: Prepare,
  selectSql: string,
  cutoff: Date,
  batchSize: number,
): number {
  const select = sql(selectSql).pluck();
  const remove = sql('DELETE FROM events WHERE seq = ?');
  let total = 0;
  for (;;) {
    const deleted = db.transaction(() => {
      const seqs = select.all(cutoff.getTime(), batchSize) as number[];
      for (const seq of seqs) remove.run(seq);
      return seqs.length;
    })();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
