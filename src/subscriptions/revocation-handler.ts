export type { RevocationSettings } from './webhook-recreation.js';
import type { Logger } from '../observability/logger.js';
import type { Envelope } from '../twitch/envelope.js';
import type { SubscriptionExternal } from '../twitch/messages.external.js';
import type { RevocationTransport } from '../twitch/revocation-reasons.js';
import { restoreAdvice } from './restore-advice.js';
import { createWebhookRecreation, type RevocationSettings } from './webhook-recreation.js';

/** Revocations that stop events until someone acts: logged at error; any other status at warn. */
const LOGGED_AT_ERROR = new Set([
  'authorization_revoked',
  'user_removed',
  'notification_failures_exceeded',
  'version_removed',
]);

export interface RevocationHandlerOptions {
  /**
   * TRANSPORT=websocket: takes a revoked WebSocket subscription out of the session plans, so a
   * later session of this run does not recreate what Twitch just ended. Twitch: "You'll receive
   * this message once and then no longer receive messages for the specified user and subscription type."
   */
  dropFromSessionPlan?: (subscription: SubscriptionExternal) => void;
  /** Clock of the recreation rate limit (tests). */
  now?: () => number;
}

/**
 * The one revocation path, for every transport: the relay calls it for each stored revocation
 * (not for a resend). It logs, once, what happened and what restores it (the advice table in
 * twitch/revocation-reasons.ts, made exact with the stored tokens and config file), then acts for
 * the subscription's transport: a webhook subscription is recreated when AUTO_RESUBSCRIBE allows
 * it; a WebSocket one is dropped from the session plan; a conduit one is left to `sync` (the advice
 * says so), never recreated here.
 */
export function createRevocationHandler(
  config: RevocationSettings,
  logger: Logger,
  options: RevocationHandlerOptions = {},
) {
  const webhook = createWebhookRecreation(config, logger, options.now ?? Date.now);

  return function onRevocation(envelope: Envelope): void {
    if (envelope.messageType !== 'revocation') return;
    const sub = envelope.subscription;
    const status = sub.status ?? 'unknown';
    const method = (sub.transport as { method?: unknown } | undefined)?.method;
    const transport: RevocationTransport =
      method === 'websocket' ? 'websocket' : method === 'conduit' ? 'conduit' : 'webhook';
    const { what, restore } = restoreAdvice(config, sub, status, transport);
    // A conduit subscription is the conduit's (`sync` creates it there again, and a relay starting
    // creates what the conduit lacks): never recreated here, least of all as a webhook one.
    const recreating = transport === 'webhook' && webhook.allowed(status);
    // Over WebSockets and conduits nothing brings it back in this run: always an error.
    const level = transport !== 'webhook' || LOGGED_AT_ERROR.has(status) ? 'error' : 'warn';
    logger[level](
      {
        subscriptionId: sub.id,
        type: sub.type,
        version: sub.version,
        condition: sub.condition,
        status,
        transport,
        restore,
        autoResubscribe: recreating,
      },
      `Twitch revoked ${sub.type} v${sub.version} (${status})` +
        (transport === 'websocket' ? ' on the WebSocket session' : '') +
        (transport === 'conduit' ? ' on the conduit' : '') +
        `: ${what}. To restore it: ${restore}` +
        (recreating ? ' (AUTO_RESUBSCRIBE=true: recreating it now)' : ''),
    );
    if (transport === 'websocket') options.dropFromSessionPlan?.(sub);
    else if (recreating) webhook.recreate(sub);
  };
}
