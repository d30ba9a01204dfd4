import type { WebSocketSettings } from '../../config/relay-config.js';
import type { Intake } from '../../intake/port.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { UserEventSub } from '../../subscriptions/websocket-api.js';
import { ReconnectBackoff } from './backoff.js';
import type { SessionSetupError } from './errors.js';
import { IntakeFeeder } from './intake-feeder.js';
import type { SessionPlan } from './plan.js';
import { SessionClient } from './session-client.js';
import { subscribeSession } from './subscribe-session.js';
import { envelopeOf } from './to-envelope.js';

/*
 * Library decision: `ws` and Twitch's documented protocol, not @twurple/eventsub-ws 8.1.4. Its
 * EventSubWsSocket parses each frame itself and hands a typed event (the `event` object only) to
 * a handler registered per subscription: the message id reaches only a private method
 * (`_handleSingleEventPayload`), and message_timestamp, the raw subscription object and the close
 * code never leave it. It also drops notifications for subscriptions it did not create itself and
 * those older than 10 minutes, and deduplicates in memory — while the envelope needs the id, the
 * timestamp and the payload as received, and dedup must be the store's, as for webhooks.
 */

export interface WebSocketTransportOptions {
  settings: WebSocketSettings;
  plans: SessionPlan[];
  eventSub: UserEventSub;
  intake: Intake;
  logger: Logger;
  metrics: Metrics;
  /** A failure only a person can fix (e.g. the token cannot be renewed): stop and report it. */
  onFatal(error: SessionSetupError): void;
}

/** The running transport: one EventSub WebSocket session per user token. */
export interface WebSocketTransport {
  /** Session ids by user login, for logs and tests. */
  sessions(): Record<string, string | undefined>;
  /** Closes the sessions and waits for every received event to be stored. */
  stop(): Promise<void>;
}

/**
 * Feeds EventSub over WebSocket into the same intake webhooks use: each notification and
 * revocation becomes the envelope a webhook would have produced, deduplicated by message id.
 */
export function startWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { logger, metrics } = options;
  const clients = options.plans.map((plan) => {
    const log = logger.child({ transport: 'websocket', user: plan.user.login });
    // A stored revocation reaches the relay's revocation handler like a webhook one (intake.onStored).
    const feeder = new IntakeFeeder(options.intake, log, (_envelope, outcome) =>
      metrics.websocketMessages.inc({ outcome }),
    );
    const client = new SessionClient({
      url: options.settings.url,
      logger: log,
      backoff: new ReconnectBackoff(options.settings.backoffMs),
      maxMessageBytes: options.settings.maxMessageBytes,
      subscribe: async (sessionId) => (await subscribeSession(options.eventSub, plan, sessionId, log)).length,
      deliver: (message) => feeder.feed(envelopeOf(message, new Date())),
      fatal: (error) => options.onFatal(error),
      onConnected: (event) => metrics.websocketSessions.inc({ event }),
    });
    client.start();
    return { plan, client, feeder };
  });

  return {
    sessions: () => Object.fromEntries(clients.map((c) => [c.plan.user.login, c.client.sessionId])),
    async stop() {
      for (const { client } of clients) client.stop();
      await Promise.all(clients.map(({ feeder }) => feeder.drain()));
    },
  };
}
