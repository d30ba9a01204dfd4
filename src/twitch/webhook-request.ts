import { randomUUID } from 'node:crypto';
import type { MessageTypeValue } from './headers.js';
import { signMessage } from './signature.js';

/** One signed POST as Twitch sends it to a webhook callback. */
export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
  messageId: string;
  timestamp: string;
}

export interface WebhookRequestInput {
  secret: string;
  messageType: MessageTypeValue;
  /** The exact bytes to send (and sign). */
  body: string;
  subscriptionType: string;
  subscriptionVersion: string;
  /** Twitch keeps the message id across its retries; new by default. */
  messageId?: string;
  timestamp?: string;
  /** Twitch-Eventsub-Message-Retry: how many times this message was sent before. */
  retry?: number;
}

/**
 * A timestamp as Twitch writes it: RFC 3339 with nanoseconds (`2026-11-23T10:00:00.123456789Z`),
 * the millisecond instant of `date` plus six more digits.
 */
export function twitchTimestamp(date = new Date()): string {
  const nanos = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  return date.toISOString().replace(/Z$/, `${nanos}Z`);
}

/** Headers and body of a signed Twitch EventSub webhook request: HMAC-SHA256(secret, id + timestamp + body). */
export function buildWebhookRequest(input: WebhookRequestInput): WebhookRequest {
  const messageId = input.messageId ?? randomUUID();
  const timestamp = input.timestamp ?? twitchTimestamp();
  return {
    messageId,
    timestamp,
    body: input.body,
    headers: {
      'Content-Type': 'application/json',
      'Twitch-Eventsub-Message-Id': messageId,
      'Twitch-Eventsub-Message-Retry': String(input.retry ?? 0),
      'Twitch-Eventsub-Message-Type': input.messageType,
      'Twitch-Eventsub-Message-Signature': signMessage(input.secret, messageId, timestamp, input.body),
      'Twitch-Eventsub-Message-Timestamp': timestamp,
      'Twitch-Eventsub-Subscription-Type': input.subscriptionType,
      'Twitch-Eventsub-Subscription-Version': input.subscriptionVersion,
    },
  };
}
