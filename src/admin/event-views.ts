import type { AttemptView, DeliveryView, EventDetail, SequencedEvent } from '../store/store.js';
import type { Envelope } from '../twitch/envelope.js';
import { envelopeToJson } from '../twitch/envelope-json.js';
import { eventGist } from '../twitch/event-gist.js';

/** Longest chat or message text shown in a list line. */
const MAX_TEXT = 300;

/** The user names, logins and ids an event names (for search by user on the Live page). */
function usersOf(event: Record<string, unknown> | null): string[] {
  if (!event) return [];
  const found = new Set<string>();
  for (const [key, value] of Object.entries(event))
    if (/(^|_)user_(id|login|name)$/.test(key) && typeof value === 'string' && value) found.add(value);
  return [...found];
}

/** The message text of a chat message, resubscription or cheer, if the event has one. */
function textOf(event: Record<string, unknown> | null): string | undefined {
  const message = event?.message;
  const text =
    typeof message === 'string'
      ? message
      : typeof message === 'object' &&
          message !== null &&
          typeof (message as { text?: unknown }).text === 'string'
        ? (message as { text: string }).text
        : undefined;
  return text === undefined ? undefined : text.slice(0, MAX_TEXT);
}

/** One event as a line of the Live page: no payload, the gist, who it names, its text. */
export interface LiveLine {
  seq: number;
  id: string;
  type: string;
  messageType: Envelope['messageType'];
  receivedAt: string;
  gist: string;
  users: string[];
  text?: string;
}

export function liveLine({ seq, envelope }: SequencedEvent): LiveLine {
  const text = textOf(envelope.event);
  return {
    seq,
    id: envelope.id,
    type: envelope.type,
    messageType: envelope.messageType,
    receivedAt: envelope.receivedAt,
    gist: eventGist(envelope),
    users: usersOf(envelope.event),
    ...(text !== undefined && { text }),
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function attemptView(attempt: AttemptView) {
  return {
    sink: attempt.sink,
    attempt: attempt.attempt,
    startedAt: attempt.startedAt.toISOString(),
    durationMs: attempt.finishedAt.getTime() - attempt.startedAt.getTime(),
    ok: attempt.error === undefined || attempt.error === null,
    error: attempt.error ?? null,
    response: attempt.response ?? null,
  };
}

function deliveryView(delivery: DeliveryView) {
  return {
    sink: delivery.sink,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
  };
}

/** The Event page: the payload as received, and per sink its delivery and every attempt. */
export function eventPage(detail: EventDetail, configuredSinks: readonly string[]) {
  return {
    id: detail.envelope.id,
    type: detail.envelope.type,
    messageType: detail.envelope.messageType,
    receivedAt: detail.envelope.receivedAt,
    gist: eventGist(detail.envelope),
    /** The envelope as the sinks get it: `subscription` and `event` are the exact text Twitch signed. */
    payload: envelopeToJson(detail.envelope),
    sinks: detail.deliveries.map((delivery) => ({
      ...deliveryView(delivery),
      configured: configuredSinks.includes(delivery.sink),
      attempts: detail.attempts.filter((a) => a.deliveryId === delivery.deliveryId).map(attemptView),
    })),
  };
}

export { deliveryView };
