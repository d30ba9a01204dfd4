import { conditionKey } from '../../../subscriptions/sync-plan.js';
import type { RemoteSubscription } from '../../../subscriptions/twitch-api.js';
import { explainRevocation } from '../../../twitch/revocation-reasons.js';
import { findings, type Check, type Finding } from './check.js';

type F = ReturnType<typeof findings>;

/** What Twitch's status means for one of our subscriptions, and what restores it. */
function statusFinding(f: F, sub: RemoteSubscription): Finding {
  const who = Object.values(sub.condition).filter(Boolean).join(', ');
  const part = { id: sub.id, title: `${sub.type} v${sub.version} (${who})` };
  switch (sub.status) {
    case 'enabled':
      return f.ok(`enabled (${sub.id})`, undefined, part);
    case 'webhook_callback_verification_pending':
      return f.warn(
        `webhook_callback_verification_pending (${sub.id}): Twitch has not had our answer to its challenge yet`,
        'it becomes enabled within seconds when the challenge check above passes; if it stays pending, fix that check, then `eventsub-relay sync`',
        part,
      );
    case 'webhook_callback_verification_failed':
      return f.fail(
        `webhook_callback_verification_failed (${sub.id}): our callback did not echo Twitch's challenge in time, so Twitch never delivers on it`,
        'fix the ✗ above (TLS, nginx, relay, secret), then recreate it: `eventsub-relay sync` (or unsubscribe it and subscribe again)',
        part,
      );
    default: {
      const advice = explainRevocation(sub.status, {
        type: sub.type,
        version: sub.version,
        condition: sub.condition,
      });
      return f.fail(`${sub.status} (${sub.id}): ${advice.what}`, advice.restore, part);
    }
  }
}

/**
 * Twitch's view: every subscription of this client id whose callback is PUBLIC_URL/callback, with
 * what its status means; the config file's subscriptions Twitch does not have; and how many call
 * other URLs (not ours to judge).
 */
export const helixCheck: Check = {
  id: 'twitch',
  title: "Twitch's subscriptions",
  hard: true,
  async run(state) {
    const f = findings(helixCheck);
    if (!state.twitch) return [f.skip('needs the Twitch application')];
    if (state.config?.env.TRANSPORT === 'websocket') {
      return [
        f.ok(
          'TRANSPORT=websocket: the relay subscribes on its own session; `eventsub-relay list` shows them',
        ),
      ];
    }
    // TRANSPORT=conduit: the conduit check shows the conduit, its shards and its subscriptions.
    if (state.config?.env.TRANSPORT === 'conduit') return [];
    const origin = state.config?.env.PUBLIC_URL;
    if (!origin) return [f.skip('needs PUBLIC_URL (the callback Twitch calls)')];
    const callback = `${origin}/callback`;
    const listing = await state.twitch.listAll();
    const ours = listing.subscriptions.filter((sub) => sub.callback === callback);
    const elsewhere = listing.subscriptions.length - ours.length;
    const report = ours.map((sub) => statusFinding(f, sub));
    const have = new Set(ours.map((sub) => conditionKey(sub.type, sub.condition)));
    for (const prepared of state.prepared ?? []) {
      const { type, version, condition } = prepared.wanted;
      if (have.has(conditionKey(type, condition))) continue;
      report.push(
        f.fail(
          `missing: the config file lists it, Twitch has no such subscription for ${callback}`,
          '`eventsub-relay sync` creates it (`sync --dry-run` shows the plan first)',
          { id: `missing.${type}`, title: `${type} v${version} (${Object.values(condition).join(', ')})` },
        ),
      );
    }
    const summary = `${ours.length} for ${callback}${elsewhere > 0 ? `, ${elsewhere} of this client id for other callbacks (not checked)` : ''}; cost ${listing.totalCost} of ${listing.maxTotalCost}`;
    if (ours.length === 0 && report.length === 0) {
      return [
        f.warn(
          `none for ${callback}${elsewhere > 0 ? ` (${elsewhere} for other callbacks)` : ''}: no events will come`,
          'subscribe: `eventsub-relay subscribe channel.follow --broadcaster <login>`, or list them in the config file and `eventsub-relay sync`',
        ),
      ];
    }
    return [f.ok(summary), ...report];
  },
};
