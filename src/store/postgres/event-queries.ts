import type pg from 'pg';
import { globToLike } from '../../twitch/glob.js';
import {
  attemptFromRow,
  deliveryFromRow,
  envelopeFromRow,
  type AttemptRow,
  type DeliveryRow,
  type EventRow,
} from '../rows.js';
import type { DeliveryView, EventDetail, EventQuery, EventSummary, RequeueQuery } from '../store.js';
import { DB_NOW_MS, SqlParams } from './sql-params.js';

/** The read and replay queries behind `eventsub-relay events …`, for PostgreSQL. */

export async function getEventDetail(pool: pg.Pool, id: string): Promise<EventDetail | null> {
  const { rows } = await pool.query<EventRow>('SELECT * FROM events WHERE id = $1', [id]);
  const row = rows[0];
  if (!row) return null;
  const [deliveries, attempts] = await Promise.all([
    deliveriesOf(pool, [row.seq]),
    pool.query<AttemptRow>(
      `SELECT a.*, d.sink FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
       WHERE d.event_seq = $1 ORDER BY a.started_at, a.attempt`,
      [row.seq],
    ),
  ]);
  return {
    envelope: envelopeFromRow(row),
    deliveries: deliveries.get(row.seq) ?? [],
    attempts: attempts.rows.map(attemptFromRow),
  };
}

export async function listEventSummaries(pool: pg.Pool, query: EventQuery): Promise<EventSummary[]> {
  const params = new SqlParams();
  const where: string[] = [];
  if (query.type) where.push(`e.type LIKE ${params.add(globToLike(query.type))}`);
  if (query.since) where.push(`e.received_at >= ${params.add(query.since.getTime())}`);
  if (query.beforeSeq !== undefined) where.push(`e.seq < ${params.add(query.beforeSeq)}`);
  if (query.status || query.sink) {
    const conditions = ['d.event_seq = e.seq'];
    if (query.status) conditions.push(`d.status = ${params.add(query.status)}`);
    if (query.sink) conditions.push(`d.sink = ${params.add(query.sink)}`);
    where.push(`EXISTS (SELECT 1 FROM deliveries d WHERE ${conditions.join(' AND ')})`);
  }
  const { rows } = await pool.query<EventRow>(
    `SELECT * FROM events e ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
     ORDER BY e.seq DESC LIMIT ${params.add(query.limit ?? 50)}`,
    params.values,
  );
  const deliveries = await deliveriesOf(
    pool,
    rows.map((row) => row.seq),
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    id: row.id,
    messageType: row.message_type,
    type: row.type,
    version: row.version,
    receivedAt: new Date(row.received_at).toISOString(),
    deliveries: deliveries.get(row.seq) ?? [],
  }));
}

/** Deliveries of several events in one round trip, grouped by event and ordered by sink. */
async function deliveriesOf(pool: pg.Pool, seqs: number[]): Promise<Map<number, DeliveryView[]>> {
  const grouped = new Map<number, DeliveryView[]>();
  if (seqs.length === 0) return grouped;
  const { rows } = await pool.query<DeliveryRow>(
    'SELECT * FROM deliveries WHERE event_seq = ANY($1::bigint[]) ORDER BY event_seq, sink',
    [seqs],
  );
  for (const row of rows) {
    const list = grouped.get(row.event_seq) ?? [];
    list.push(deliveryFromRow(row));
    grouped.set(row.event_seq, list);
  }
  return grouped;
}

export async function requeueDeliveries(pool: pg.Pool, query: RequeueQuery): Promise<number> {
  const params = new SqlParams();
  const now = params.add(Date.now());
  const where: string[] = [];
  if (query.ids) where.push(`e.id = ANY(${params.add([...query.ids])}::text[])`);
  if (query.since) where.push(`e.received_at >= ${params.add(query.since.getTime())}`);
  if (query.type) where.push(`e.type LIKE ${params.add(globToLike(query.type))}`);
  if (query.sink) where.push(`d.sink = ${params.add(query.sink)}`);
  // A delivery being attempted right now (live lease, on the database's clock) is left to that attempt.
  where.push(`NOT (d.status = 'pending' AND COALESCE(d.lease_until, 0) > ${DB_NOW_MS})`);
  // A fresh schedule: attempts back to 0 (the attempts table keeps the history).
  const { rowCount } = await pool.query(
    `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ${now}, lease_until = NULL,
       claim_token = NULL, delivered_at = NULL
     WHERE id IN (SELECT d.id FROM deliveries d JOIN events e ON e.seq = d.event_seq
                  WHERE ${where.join(' AND ')})`,
    params.values,
  );
  return rowCount ?? 0;
}
