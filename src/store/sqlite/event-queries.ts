import type Database from 'better-sqlite3';
import { globToLike } from '../../twitch/glob.js';
import type { DeadDeliveryView, DeliveryListQuery, EventDetail, EventQuery, EventSummary } from '../store.js';
import {
  attemptHistory,
  deliveryFromRow,
  envelopeFromRow,
  type AttemptRow,
  type DeliveryRow,
  type EventRow,
} from '../rows.js';
import { DELIVERIES_OF_EVENT, MAX_DELIVERIES_PER_EVENT } from './schema.js';
import { SqlFilter } from './sql-filter.js';

/** A prepared statement for this SQL text (the store caches them). */
export type Prepare = (text: string) => Database.Statement;

/** The read queries behind `eventsub-relay events …`, for SQLite. */

/** The key range of one event's deliveries (see MAX_DELIVERIES_PER_EVENT). */
function deliveryIdRange(eventSeq: number): [number, number] {
  const first = eventSeq * MAX_DELIVERIES_PER_EVENT;
  return [first, first + MAX_DELIVERIES_PER_EVENT - 1];
}

function deliveryRowsOf(sql: Prepare, eventSeq: number) {
  return sql('SELECT * FROM deliveries WHERE id BETWEEN ? AND ? ORDER BY sink').all(
    ...deliveryIdRange(eventSeq),
  ) as DeliveryRow[];
}

function deliveriesOf(sql: Prepare, eventSeq: number) {
  return deliveryRowsOf(sql, eventSeq).map(deliveryFromRow);
}

/**
 * One event by message id. `seq`, when the caller knows it (the serving process's dedup index),
 * finds the row by primary key; otherwise the events table is scanned (no index on the id: see
 * schema.ts), which `events show` can afford.
 */
export function getEventDetail(sql: Prepare, id: string, seq?: number): EventDetail | null {
  const row = (
    seq === undefined
      ? sql('SELECT * FROM event_rows WHERE id = ?').get(id)
      : sql('SELECT * FROM event_rows WHERE seq = ? AND id = ?').get(seq, id)
  ) as EventRow | undefined;
  if (!row) return null;
  const attempts = sql(
    `SELECT a.*, d.sink FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
       WHERE a.delivery_id BETWEEN ? AND ?`,
  ).all(...deliveryIdRange(row.seq)) as AttemptRow[];
  const deliveries = deliveryRowsOf(sql, row.seq);
  return {
    envelope: envelopeFromRow(row),
    deliveries: deliveries.map(deliveryFromRow),
    attempts: attemptHistory(attempts, deliveries),
  };
}

export function listEventSummaries(sql: Prepare, query: EventQuery): EventSummary[] {
  const deliveryFilter = new SqlFilter()
    .add(true, DELIVERIES_OF_EVENT)
    .add(query.status, 'd.status = ?', query.status)
    .add(query.sink, 'd.sink = ?', query.sink);
  const filter = new SqlFilter()
    .add(query.type, `e.type LIKE ? ESCAPE '\\'`, query.type && globToLike(query.type))
    .add(query.since, 'e.received_at >= ?', query.since?.getTime())
    .add(query.beforeSeq !== undefined, 'e.seq < ?', query.beforeSeq)
    .add(
      query.status || query.sink,
      `EXISTS (SELECT 1 FROM deliveries d ${deliveryFilter.toSql()})`,
      ...deliveryFilter.params,
    );
  const rows = sql(`SELECT * FROM event_rows e ${filter.toSql()} ORDER BY e.seq DESC LIMIT ?`).all(
    ...filter.params,
    query.limit ?? 50,
  ) as EventRow[];
  return rows.map((row) => ({
    seq: row.seq,
    id: row.id,
    messageType: row.message_type,
    type: row.type,
    version: row.version,
    receivedAt: new Date(row.received_at).toISOString(),
    deliveries: deliveriesOf(sql, row.seq),
  }));
}

export function listDeadDeliveries(sql: Prepare, query: DeliveryListQuery): DeadDeliveryView[] {
  // The status is written into the SQL, not bound: only then may SQLite use its partial index
  // (deliveries_dead / deliveries_pending), and the page is a range of it, not a scan.
  const status = query.status === 'pending' ? 'pending' : 'dead';
  const rows = sql(
    `SELECT d.*, e.id AS event_id, e.type, e.received_at FROM deliveries d JOIN events e ON e.seq = d.event_seq
       WHERE d.status = '${status}' AND (? IS NULL OR d.sink = ?) AND (? IS NULL OR d.id < ?)
       ORDER BY d.id DESC LIMIT ?`,
  ).all(
    query.sink ?? null,
    query.sink ?? null,
    query.beforeId ?? null,
    query.beforeId ?? null,
    query.limit ?? 100,
  ) as (DeliveryRow & {
    event_id: string;
    type: string;
    received_at: number;
  })[];
  return rows.map((row) => ({
    ...deliveryFromRow(row),
    eventSeq: row.event_seq,
    eventId: row.event_id,
    type: row.type,
    receivedAt: new Date(row.received_at).toISOString(),
  }));
}
