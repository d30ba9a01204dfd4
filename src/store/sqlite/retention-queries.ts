import type { Prepare } from './event-queries.js';
import type { MessageIdIndex } from './message-id-index.js';
import { DELIVERIES_OF_EVENT, MAX_DELIVERIES_PER_EVENT } from './schema.js';

/** Retention for SQLite: which old events may go, deleted a batch per call. */
const OLD_EVENTS = `FROM events e WHERE e.received_at < ?`;

/** Old events whose deliveries are all delivered (or that have none). */
export const DELIVERED_BEFORE = `SELECT seq, id ${OLD_EVENTS}
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE ${DELIVERIES_OF_EVENT} AND d.status <> 'delivered')
  ORDER BY e.received_at LIMIT ?`;

/** Old events with no pending delivery left (dead ones go; the retention of dead deliveries). */
export const DEAD_BEFORE = `SELECT seq, id ${OLD_EVENTS}
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE ${DELIVERIES_OF_EVENT} AND d.status = 'pending')
  ORDER BY e.received_at LIMIT ?`;

/**
 * Deletes one batch of the events `selectSql` picks, with their deliveries and attempts, and takes
 * them out of the dedup index; returns how many (retention calls again while the batch was full).
 */
export function deleteOneBatch(
  sql: Prepare,
  selectSql: string,
  cutoff: Date,
  batchSize: number,
  ids: MessageIdIndex,
): number {
  const rows = sql(selectSql).all(cutoff.getTime(), batchSize) as { seq: number; id: string }[];
  const removeAttempts = sql('DELETE FROM attempts WHERE delivery_id BETWEEN ? AND ?');
  const removeDeliveries = sql('DELETE FROM deliveries WHERE id BETWEEN ? AND ?');
  const removeEvent = sql('DELETE FROM events WHERE seq = ?');
  // Deleted seqs are never handed out again (see EventInserter.nextSeq).
  if (rows.length > 0) {
    sql(
      `INSERT INTO meta (key, value) VALUES ('seq_high_water', ?)
       ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)`,
    ).run(Math.max(...rows.map((row) => row.seq)));
  }
  for (const { seq, id } of rows) {
    const first = seq * MAX_DELIVERIES_PER_EVENT;
    removeAttempts.run(first, first + MAX_DELIVERIES_PER_EVENT - 1);
    removeDeliveries.run(first, first + MAX_DELIVERIES_PER_EVENT - 1);
    removeEvent.run(seq);
    ids.remove(id, seq);
  }
  return rows.length;
}
