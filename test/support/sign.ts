import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signMessage } from '../../src/twitch/signature.js';

const here = dirname(fileURLToPath(import.meta.url));
/** ../shared/fixtures/twitch, beside the checkout (CI clones main with shared/ beside it). */
export const FIXTURES_DIR = join(here, '..', '..', '..', 'shared', 'fixtures', 'twitch');

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8'));
}

/**
 * A timestamp as Twitch writes it: RFC 3339 with nanoseconds (`2026-11-23T10:00:00.123456789Z`),
 * the millisecond instant of `date` plus six more digits.
 */
export function twitchTimestamp(date = new Date()): string {
  const nanos = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  return date.toISOString().replace(/Z$/, `${nanos}Z`);
}

export type MessageTypeHeader = 'notification' | 'revocation' | 'webhook_callback_verification' | string;

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
  messageId: string;
}

/**
 * A request exactly as Twitch sends it: compact JSON body, all Twitch headers, a valid signature,
 * a nanosecond timestamp (pass `timestamp` for another form).
 */
export function signedRequest(
  secret: string,
  payload: unknown,
  options: { messageType?: MessageTypeHeader; messageId?: string; timestamp?: string; retry?: number } = {},
): SignedRequest {
  const messageId = options.messageId ?? randomUUID();
  const timestamp = options.timestamp ?? twitchTimestamp();
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const subscription = (payload as { subscription?: { type?: string; version?: string } })?.subscription;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Twitch-Eventsub-Message-Id': messageId,
    'Twitch-Eventsub-Message-Retry': String(options.retry ?? 0),
    'Twitch-Eventsub-Message-Type': options.messageType ?? 'notification',
    'Twitch-Eventsub-Message-Signature': signMessage(secret, messageId, timestamp, body),
    'Twitch-Eventsub-Message-Timestamp': timestamp,
    'Twitch-Eventsub-Subscription-Type': subscription?.type ?? 'channel.follow',
    'Twitch-Eventsub-Subscription-Version': subscription?.version ?? '2',
  };
  return { headers, body, messageId };
}

/** A distinct channel.follow v2 notification (new user id each time), as Twitch's docs show it. */
export function followNotification(
  userId = String(Math.floor(Math.random() * 1e9)),
): Record<string, unknown> {
  const base = fixture('notification.channel.follow.v2.json') as {
    subscription: unknown;
    event: Record<string, unknown>;
  };
  return { subscription: base.subscription, event: { ...base.event, user_id: userId } };
}

/** Signs `payload` as Twitch would and POSTs it to `<baseUrl>/callback`; returns the status and message id. */
export async function postSigned(
  baseUrl: string,
  secret: string,
  payload: unknown = followNotification(),
  messageType: MessageTypeHeader = 'notification',
): Promise<{ status: number; messageId: string }> {
  const signed = signedRequest(secret, payload, { messageType });
  const res = await fetch(`${baseUrl}/callback`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return { status: res.status, messageId: signed.messageId };
}
