import type { Envelope } from '../../twitch/envelope.js';
import { withRawPayload } from '../../twitch/envelope-json.js';
import type { WsMessage } from './messages.js';

type EventMessage = Extract<WsMessage, { kind: 'notification' | 'revocation' }>;

/**
 * The envelope of a WebSocket notification or revocation, the same shape a webhook produces, so
 * dedup, sinks, replay and the live stream cannot tell the transports apart: `id` is the
 * metadata's message_id (Twitch keeps it when it resends), `timestamp` its message_timestamp.
 * WebSockets have no Twitch-Eventsub-Message-Retry equivalent (docs, "Migrating from webhooks"),
 * so `retry` is 0. `subscription` and `event` are kept as the frame's text too, as webhooks keep the
 * signed body's.
 */
export function envelopeOf(message: EventMessage, receivedAt: Date): Envelope {
  // Like the receiver: the payload's text is kept beside it, so it is stored and forwarded as sent.
  const envelope: Envelope = {
    id: message.meta.messageId,
    messageType: message.kind,
    type: message.type,
    version: message.version,
    timestamp: message.meta.timestamp,
    retry: 0,
    subscription: message.subscription,
    event: message.event,
    receivedAt: receivedAt.toISOString(),
  };
  return withRawPayload(envelope, message.raw);
}
