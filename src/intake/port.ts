import type { Envelope } from '../twitch/envelope.js';

/** What offering an event to the relay came to: new and durable, or a message id already held. */
export type AcceptOutcome = 'stored' | 'duplicate';

/**
 * The one door every transport feeds (the webhook receiver, the EventSub WebSocket session, tests).
 * `accept` resolves only once the event and its deliveries are durable, so a transport may
 * acknowledge after it; a duplicate message id resolves 'duplicate' with nothing new stored or
 * delivered. Sinks, revocation handling and live streams run after it has resolved, never before.
 * It rejects when the store cannot take the write (the transport answers 503 or retries).
 */
export interface Intake {
  accept(envelope: Envelope): Promise<AcceptOutcome>;
}
