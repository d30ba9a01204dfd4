import type { SubscriptionExternal } from './messages.external.js';

/**
 * One stored Twitch message, as every sink receives it. `id` is Twitch's message id (stable across
 * Twitch's retries, so it doubles as the idempotency key downstream); `event` is null for revocations.
 */
export interface Envelope {
  id: string;
  messageType: 'notification' | 'revocation';
  type: string;
  version: string;
  /** Twitch-Eventsub-Message-Timestamp as sent (RFC3339, nanoseconds). */
  timestamp: string;
  /** Twitch-Eventsub-Message-Retry: how many times Twitch had already tried this message. */
  retry: number;
  subscription: SubscriptionExternal;
  event: Record<string, unknown> | null;
  /** When this relay stored it (ISO 8601). */
  receivedAt: string;
}
