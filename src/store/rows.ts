import type { Envelope } from '../twitch/envelope.js';
import { withRawPayload } from '../twitch/envelope-json.js';
import type { AttemptView, DeliveryStatus, DeliveryView } from './store.js';

/** Row shapes as both stores return them, and their mapping to the Store's views. */
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
  /** SQLite: start of the attempt that delivered it (that attempt has no attempts row). */
  started_at?: number | null;
}

const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** The stored envelope; its payload is forwarded as the text that was stored (see envelopeToJson). */
export function envelopeFromRow(row: EventRow): Envelope {
  return withRawPayload(
    {
      id: row.id,
      messageType: row.message_type,
      type: row.type,
      version: row.version,
      timestamp: row.twitch_timestamp,
      retry: row.retry,
      subscription: JSON.parse(row.subscription_json),
      event: row.event_json === null ? null : JSON.parse(row.event_json),
      receivedAt: new Date(row.received_at).toISOString(),
    },
    { subscription: row.subscription_json, event: row.event_json },
  );
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
  };
}

/**
 * The attempt history of one event: the attempts rows, plus (SQLite) each delivery's successful
 * attempt, which is kept in the delivery row itself. Ordered by start time.
 */
export function attemptHistory(
  rows: readonly AttemptRow[],
  deliveries: readonly DeliveryRow[],
): AttemptView[] {
  const history = rows.map(attemptFromRow);
  for (const delivery of deliveries) {
    if (delivery.started_at == null || delivery.delivered_at === null) continue;
    const earlier = rows.filter((row) => row.delivery_id === delivery.id);
    history.push({
      deliveryId: delivery.id,
      sink: delivery.sink,
      attempt: Math.max(0, ...earlier.map((row) => row.attempt)) + 1,
      startedAt: new Date(delivery.started_at),
      finishedAt: new Date(delivery.delivered_at),
    });
  }
  return history.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.attempt - b.attempt);
}
