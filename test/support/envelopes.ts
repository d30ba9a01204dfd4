import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../src/twitch/envelope.js';
import { fixture } from './sign.js';

/** A stored-shape envelope built from Twitch's documented payload for `fixtureName`. */
export function envelopeFrom(
  fixtureName = 'notification.channel.follow.v2.json',
  overrides: Partial<Envelope> = {},
): Envelope {
  const payload = fixture(fixtureName) as {
    subscription: Envelope['subscription'];
    event?: Record<string, unknown>;
  };
  return {
    id: randomUUID(),
    messageType: payload.event ? 'notification' : 'revocation',
    type: payload.subscription.type,
    version: payload.subscription.version,
    timestamp: '2026-11-23T08:00:00.123456789Z',
    retry: 0,
    subscription: payload.subscription,
    event: payload.event ?? null,
    receivedAt: new Date().toISOString(),
    ...overrides,
  };
}
