import { AuthSetupError } from '../../auth/auth-errors.js';
import type { TokenStore } from '../../auth/token-store.js';
import { ConfigError } from '../../config/errors.js';
import { authorizingField, type CatalogEntry } from '../../twitch/catalog-entry.js';
import type { DesiredEntry } from '../../config/subscription-entries.js';
import { loginCommand, scopesToRequest } from '../../subscriptions/login-advice.js';
import {
  prepareSubscription,
  type PreparedSubscription,
  type ResolveUser,
} from '../../subscriptions/prepare.js';
import { conditionKey } from '../../subscriptions/sync-plan.js';

/** Twitch's limits per user token (client id + user id), docs: handling-websocket-events. */
export const WEBSOCKET_LIMITS = { connections: 3, subscriptionsPerConnection: 300, maxTotalCost: 10 };

/** One user's session: whose token creates the subscriptions, and which. */
export interface SessionPlan {
  user: { id: string; login: string };
  subscriptions: PreparedSubscription[];
  /** What the subscriptions will cost (0 for the user's own channel, 1 for someone else's public data). */
  estimatedCost: number;
  /** The `auth login` command that renews this user's authorization with every scope they need. */
  loginCommand: string;
}

/**
 * Over WebSockets a chat type needs only `user:read:chat` from the chatting user: `user:bot` and
 * `channel:bot` are for app tokens (Twitch docs, channel.chat.message authorization).
 */
export function websocketEntry(entry: CatalogEntry): CatalogEntry {
  if (!entry.type.startsWith('channel.chat') || entry.authorizedBy !== 'user') return entry;
  return { ...entry, scopes: entry.scopes.filter((group) => !group.includes('user:bot')) };
}

/**
 * Turns the config file's `subscriptions:` into one session per user token, checked before
 * anything connects: every type deliverable over WebSockets, every authorizing user's token stored
 * with a refresh token and the scopes, and Twitch's 300-per-connection and cost-10 limits.
 */
export async function planSessions(
  file: { path?: string; subscriptions: readonly DesiredEntry[] },
  context: { tokens: TokenStore; resolveUser: ResolveUser; clientId: string },
): Promise<SessionPlan[]> {
  const desired = file.subscriptions;
  if (desired.length === 0) {
    throw new ConfigError(
      file.path ? `${file.path}: subscriptions` : 'CONFIG_FILE',
      'TRANSPORT=websocket creates the subscriptions listed in the config file on every session, and there are none ' +
        '(Twitch closes a session without subscriptions after 10 seconds). Add e.g. ' +
        '`subscriptions: [{ type: channel.follow, broadcaster: mychannel }]` to eventsub-relay.yml (or CONFIG_FILE)',
    );
  }
  const prepareContext = { ...context, desired, entryFor: websocketEntry };
  const byUser = new Map<string, SessionPlan>();
  const seen = new Set<string>();
  for (const [index, wanted] of desired.entries()) {
    const prepared = await prepareSubscription({ ...wanted }, prepareContext);
    const { entry, wanted: sub } = prepared;
    if (entry.authorizedBy === 'app') {
      throw new ConfigError(
        `subscriptions[${index}]`,
        `${entry.type} is delivered only over webhooks and conduits (it needs an app access token), not over ` +
          'EventSub WebSockets: remove it from the list, or run with TRANSPORT=webhook behind a public address',
      );
    }
    const key = conditionKey(sub.type, sub.condition);
    if (seen.has(key)) continue; // the same entry twice is one subscription
    seen.add(key);
    const user = tokenUserFor(entry, sub.condition, context.tokens, index);
    let plan = byUser.get(user.id);
    if (!plan) {
      const scopes = scopesToRequest(user, [], { tokens: context.tokens, desired });
      plan = { user, subscriptions: [], estimatedCost: 0, loginCommand: loginCommand(scopes) };
      byUser.set(user.id, plan);
    }
    plan.subscriptions.push(prepared);
    if (!Object.values(sub.condition).includes(user.id)) plan.estimatedCost += 1;
  }
  for (const plan of byUser.values()) checkLimits(plan);
  return [...byUser.values()];
}

/**
 * Whose token creates it: the user whose authorization the type needs, or for public types the
 * user named in the condition when their token is stored (it then costs nothing), else the one
 * stored token. The token needs a refresh token: a session lives for days, a token for hours.
 */
function tokenUserFor(
  entry: CatalogEntry,
  condition: Record<string, string>,
  tokens: TokenStore,
  index: number,
): { id: string; login: string } {
  const field = authorizingField(entry);
  const stored = field
    ? tokens.get(condition[field] ?? '')
    : (Object.values(condition)
        .map((id) => (/^\d+$/.test(id) ? tokens.get(id) : undefined))
        .find(Boolean) ?? (tokens.all().length === 1 ? tokens.all()[0] : undefined));
  if (!stored) {
    const who = condition.broadcaster_user_id ?? Object.values(condition)[0] ?? 'the broadcaster';
    throw new AuthSetupError(
      `subscriptions[${index}] (${entry.type}): EventSub WebSockets need a user access token, and none is stored ` +
        `for user ${who}${tokens.all().length > 1 ? ' (several other users are stored, so the relay cannot pick one)' : ''}. ` +
        'Log in as the broadcaster and run `eventsub-relay auth login` (add --device on a headless server).',
    );
  }
  if (!stored.refreshToken) {
    throw new AuthSetupError(
      `the stored token of ${stored.login} has no refresh token, so the relay could not renew it while its ` +
        'WebSocket session runs: log in as them and run `eventsub-relay auth login` (or `auth add --access-token … --refresh-token …`).',
    );
  }
  return { id: stored.userId, login: stored.login };
}

function checkLimits(plan: SessionPlan): void {
  const { subscriptionsPerConnection, maxTotalCost } = WEBSOCKET_LIMITS;
  if (plan.subscriptions.length > subscriptionsPerConnection) {
    throw limitError(
      `${plan.subscriptions.length} subscriptions use the token of ${plan.user.login}, but Twitch allows ` +
        `${subscriptionsPerConnection} per WebSocket connection (the relay holds one per user): remove some, or use TRANSPORT=webhook`,
    );
  }
  if (plan.estimatedCost > maxTotalCost) {
    throw limitError(
      `the subscriptions created with ${plan.user.login}'s token would cost ${plan.estimatedCost}, over Twitch's ` +
        `max_total_cost of ${maxTotalCost} for WebSockets: each public-data subscription (stream.online, channel.update, …) ` +
        `for a channel other than ${plan.user.login}'s own costs 1. Remove some, have those broadcasters log in too, or use TRANSPORT=webhook`,
    );
  }
}

function limitError(message: string): ConfigError {
  return new ConfigError('subscriptions', message);
}
