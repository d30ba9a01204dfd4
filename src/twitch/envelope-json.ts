import type { Envelope } from './envelope.js';

/** Twitch's `subscription` and `event` JSON exactly as received (event null for a revocation). */
export interface RawPayload {
  subscription: string;
  event: string | null;
}

/**
 * The received text of each envelope built by a transport or read from the store. Kept beside the
 * envelope rather than on it, so the public Envelope shape (what sinks and handlers see, what
 * JSON.stringify would print) stays exactly the documented one.
 */
const rawPayloads = new WeakMap<Envelope, RawPayload>();

/** Remembers the text `envelope.subscription` and `envelope.event` were parsed from. */
export function withRawPayload<E extends Envelope>(envelope: E, raw: RawPayload): E {
  rawPayloads.set(envelope, raw);
  return envelope;
}

/** The received text of the payload, or a serialisation of the objects for an envelope built in code. */
export function rawPayloadOf(envelope: Envelope): RawPayload {
  return (
    rawPayloads.get(envelope) ?? {
      subscription: JSON.stringify(envelope.subscription),
      event: envelope.event === null ? null : JSON.stringify(envelope.event),
    }
  );
}

/**
 * The envelope as JSON, with `subscription` and `event` spliced in as received: what the HTTP,
 * file, Redis and NATS sinks send, so a consumer gets exactly the bytes Twitch signed.
 * Same keys and order as JSON.stringify(envelope).
 */
export function envelopeToJson(envelope: Envelope): string {
  const raw = rawPayloadOf(envelope);
  return (
    `{"id":${JSON.stringify(envelope.id)},"messageType":${JSON.stringify(envelope.messageType)},` +
    `"type":${JSON.stringify(envelope.type)},"version":${JSON.stringify(envelope.version)},` +
    `"timestamp":${JSON.stringify(envelope.timestamp)},"retry":${envelope.retry},` +
    `"subscription":${raw.subscription},"event":${raw.event ?? 'null'},` +
    `"receivedAt":${JSON.stringify(envelope.receivedAt)}}`
  );
}
