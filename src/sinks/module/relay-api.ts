import type { Envelope } from '../../twitch/envelope.js';
import { toTypedEvents } from './typed-events.js';

/** A handler gets the typed twurple event (or the raw event) and the whole envelope. */
export type EventHandler = (event: unknown, envelope: Envelope) => unknown;
export type ErrorHandler = (error: unknown, envelope: Envelope) => unknown;

/**
 * The object a user's module registers its handlers on:
 * `export default (relay) => { relay.on('channel.follow', (follow) => …) }`.
 */
export class RelayHandlers {
  private readonly byType = new Map<string, EventHandler[]>();
  private readonly any: EventHandler[] = [];
  private readonly revocation: EventHandler[] = [];
  private readonly errors: ErrorHandler[] = [];

  /** Handle notifications of one type or several. */
  on(types: string | readonly string[], handler: EventHandler): this {
    for (const type of typeof types === 'string' ? [types] : types) {
      this.byType.set(type, [...(this.byType.get(type) ?? []), handler]);
    }
    return this;
  }

  /**
   * Handle every notification and revocation: the handler gets the same typed twurple object as
   * `on()` handlers (the raw event where twurple has no class), or null for revocations.
   */
  onAny(handler: EventHandler): this {
    this.any.push(handler);
    return this;
  }

  /** Handle revocations: the handler gets the subscription Twitch revoked. */
  onRevocation(handler: EventHandler): this {
    this.revocation.push(handler);
    return this;
  }

  /** Called when a handler throws, before the delivery is retried. */
  onError(handler: ErrorHandler): this {
    this.errors.push(handler);
    return this;
  }

  /** Runs every matching handler in order; rethrows the first failure after telling the error handlers. */
  async dispatch(envelope: Envelope): Promise<void> {
    try {
      if (envelope.messageType === 'revocation') {
        for (const handler of this.revocation) await handler(envelope.subscription, envelope);
        for (const handler of this.any) await handler(null, envelope);
        return;
      }
      // A batched notification (drop.entitlement.grant) calls the handlers once per item, as twurple does.
      for (const event of toTypedEvents(envelope.type, envelope.version, envelope.event ?? {})) {
        for (const handler of this.byType.get(envelope.type) ?? []) await handler(event, envelope);
        for (const handler of this.any) await handler(event, envelope);
      }
    } catch (error) {
      for (const handler of this.errors)
        await Promise.resolve(handler(error, envelope)).catch(() => undefined);
      throw error;
    }
  }
}
