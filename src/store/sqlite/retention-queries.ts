import type { Prepare } from './event-queries.js';

/** Retention for SQLite: which old events may go, deleted a batch per call. */

/** Old events whose deliveries are all delivered (or that have none). */
export const DELIVERED_BEFORE = `SELECT seq FROM events e WHERE e.received_at < ?
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status <> 'delivered') LIMIT ?`;

/** Old events with no pending delivery left (dead ones go; the retention of dead deliveries). */
export const DEAD_BEFORE = `SELECT seq FROM events e WHERE e.received_at < ?
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status = 'pending') LIMIT ?`;

/** Deletes one batch of the events `selectSql` picks; returns how many (retention calls again while full). */
export function deleteOneBatch(sql: Prepare, selectSql: string, cutoff: Date, batchSize: number): number {
  const seqs = sql(selectSql).pluck().all(cutoff.getTime(), batchSize) as number[];
  const remove = sql('DELETE FROM events WHERE seq = ?');
  for (const seq of seqs) remove.run(seq);
  return seqs.length;
}
