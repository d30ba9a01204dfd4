import type { Logger } from '../../observability/logger.js';
import type { Envelope } from '../../twitch/envelope.js';
import { conditionKey } from '../../subscriptions/sync-plan.js';
import type { SessionPlan } from './plan.js';

/** What a revocation status means over WebSockets and what brings the subscription back. */
function adviceFor(status: string, plan: SessionPlan, type: string): { what: string; restore: string } {
  switch (status) {
    case 'authorization_revoked':
      return {
        what: `${plan.user.login} revoked this application's authorization (or changed their password)`,
        restore: `log in as ${plan.user.login}, run \`${plan.loginCommand}\`, then restart the relay`,
      };
    case 'user_removed':
      return {
        what: 'the user in its condition no longer exists',
        restore: `remove ${type} for that user from the config file's subscriptions: list`,
      };
    case 'version_removed':
      return {
        what: 'Twitch no longer supports this type and version',
        restore:
          'set a newer version in the config file (see `eventsub-relay types`), then restart the relay',
      };
    default:
      return {
        what: `Twitch gave the reason "${status}"`,
        restore: 'restart the relay to create it again; if it is revoked again, see `eventsub-relay list`',
      };
  }
}

/**
 * A revocation that was stored (not a resend): logged once at error with what to do, and the
 * subscription is taken out of the session's plan, so a later new session does not recreate what
 * Twitch just refused. Twitch: "You'll receive this message once and then no longer receive
 * messages for the specified user and subscription type."
 */
export function handleRevocation(envelope: Envelope, plan: SessionPlan, logger: Logger): void {
  const sub = envelope.subscription;
  const status = sub.status ?? 'unknown';
  const { what, restore } = adviceFor(status, plan, sub.type);
  const key = conditionKey(sub.type, sub.condition as Record<string, string>);
  plan.subscriptions = plan.subscriptions.filter(
    (p) => conditionKey(p.wanted.type, p.wanted.condition) !== key,
  );
  logger.error(
    {
      subscriptionId: sub.id,
      type: sub.type,
      version: sub.version,
      condition: sub.condition,
      status,
      restore,
    },
    `Twitch revoked ${sub.type} v${sub.version} (${status}) on the WebSocket session: ${what}. To restore it: ${restore}`,
  );
}
