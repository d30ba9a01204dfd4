import { randomUUID } from 'node:crypto';

/**
 * The text frames of Twitch's EventSub WebSocket server, field for field as documented
 * (dev.twitch.tv/docs/eventsub/handling-websocket-events and websocket-reference; twitch-cli's
 * mock server builds the same): `{ metadata: { message_id, message_type, message_timestamp,
 * subscription_type?, subscription_version? }, payload }`. Timestamps are RFC3339 with
 * nanoseconds, as Twitch sends them.
 */
export function twitchTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}${randomDigits(6)}Z`);
}

function randomDigits(n: number): string {
  return Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
}

function metadata(type: string, extra: Record<string, string> = {}, messageId: string = randomUUID()) {
  return { message_id: messageId, message_type: type, message_timestamp: twitchTimestamp(), ...extra };
}

export interface SessionFields {
  id: string;
  connectedAt: string;
  keepaliveSeconds: number;
}

export function welcomeFrame(session: SessionFields): string {
  return JSON.stringify({
    metadata: metadata('session_welcome'),
    payload: {
      session: {
        id: session.id,
        status: 'connected',
        connected_at: session.connectedAt,
        keepalive_timeout_seconds: session.keepaliveSeconds,
        reconnect_url: null,
      },
    },
  });
}

export function keepaliveFrame(): string {
  return JSON.stringify({ metadata: metadata('session_keepalive'), payload: {} });
}

export function reconnectFrame(session: SessionFields, reconnectUrl: string): string {
  return JSON.stringify({
    metadata: metadata('session_reconnect'),
    payload: {
      session: {
        id: session.id,
        status: 'reconnecting',
        keepalive_timeout_seconds: null,
        reconnect_url: reconnectUrl,
        connected_at: session.connectedAt,
      },
    },
  });
}

/** A notification (with `event`) or revocation (without) for a subscription object as Helix lists it. */
export function eventFrame(
  kind: 'notification' | 'revocation',
  subscription: { type: string; version: string },
  event: Record<string, unknown> | undefined,
  messageId: string,
): string {
  const extra = { subscription_type: subscription.type, subscription_version: subscription.version };
  const payload = kind === 'notification' ? { subscription, event } : { subscription };
  return JSON.stringify({ metadata: metadata(kind, extra, messageId), payload });
}

/** Twitch's close codes (docs "Close message"; reasons as twitch-cli's mock server sends them). */
export const CLOSE_REASONS: Record<number, string> = {
  4000: 'internal server error',
  4001: 'sent inbound traffic',
  4002: 'failed ping pong',
  4003: 'connection unused',
  4004: 'client reconnect grace time expired',
  4005: 'network timeout',
  4006: 'network error',
  4007: 'invalid reconnect attempt',
};

/** What a websocket subscription's status becomes when its connection closes with `code`. */
export function disabledStatus(code: number): string {
  const statuses: Record<number, string> = {
    4000: 'websocket_internal_error',
    4001: 'websocket_received_inbound_traffic',
    4002: 'websocket_failed_ping_pong',
    4003: 'websocket_connection_unused',
    4004: 'websocket_failed_to_reconnect',
    4005: 'websocket_network_timeout',
    4006: 'websocket_network_error',
  };
  return statuses[code] ?? 'websocket_disconnected';
}
