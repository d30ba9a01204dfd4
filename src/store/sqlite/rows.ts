import type { Envelope } from '../../twitch/envelope.js';
import type { AttemptView, DeliveryStatus, DeliveryView } from '../store.js';

/** Row shapes as SQLite returns them, and their mapping to the Store's views. */
export interface EventRow {
  seq: number;
  id: string;
  message_type: Envelope['messageType'];
  type: string;
  version: string;
  twitch_timestamp: string;
  retry: number;
  subscription_json: string;
  event_json: string | null;
  received_at: number;
}

/** One attempt joined with its delivery's sink, as `events show` reads it. */
export interface AttemptRow {
  delivery_id: number;
  sink: string;
  attempt: number;
  started_at: number;
  finished_at: number;
  error: string | null;
  response: string | null;
}

export interface DeliveryRow {
  id: number;
  event_seq: number;
  sink: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

export function envelopeFromRow(row: EventRow): Envelope {
  return {
    id: row.id,
    messageType: row.message_type,
    type: row.type,
    version: row.version,
    timestamp: row.twitch_timestamp,
    retry: row.retry,
    subscription: JSON.parse(row.subscription_json),
    event: row.event_json === null ? null : JSON.parse(row.event_json),
    receivedAt: new Date(row.received_at).toISOString(),
  };
}

export function deliveryFromRow(row: DeliveryRow): DeliveryView {
  return {
    deliveryId: row.id,
    sink: row.sink,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? dateOrNull(row.next_attempt_at) : null,
    lastError: row.last_error,
    deliveredAt: dateOrNull(row.delivered_at),
  };
}

/** One attempt row as `events show` lists it (both stores return the same row shape). */
export function attemptFromRow(row: AttemptRow): AttemptView {
  return {
    deliveryId: row.delivery_id,
    sink: row.sink,
    attempt: row.attempt,
    startedAt: new Date(row.started_at),
    finishedAt: new Date(row.finished_at),
    ...(row.error !== null && { error: row.error }),
    ...(row.response !== null && row.response !== undefined && { response: row.response }),
  };
}
