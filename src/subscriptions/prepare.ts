import type { TokenStore } from '../auth/token-store.js';
import { conditionProblems, fillCondition, type CatalogEntry } from '../twitch/catalog-entry.js';
import { findEntry } from '../twitch/catalog-lookup.js';
import { AuthSetupError } from '../auth/auth-errors.js';
import { checkAuthorization } from './scope-check.js';
import type { WantedSubscription } from './sync-plan.js';

/** How to find a broadcaster's user id: our stored tokens first, Twitch's Get Users otherwise. */
export type ResolveUser = (loginOrId: string) => Promise<{ id: string; login: string }>;

/** What the user asked for, before we filled anything in. */
export interface SubscriptionRequest {
  type: string;
  version?: string;
  broadcaster?: string;
  condition: Record<string, string>;
}

/** Looks a broadcaster up locally (stored authorizations), then through Twitch. */
export function resolverWithTokens(tokens: TokenStore, remote: () => ResolveUser): ResolveUser {
  return async (loginOrId) => {
    const stored = tokens.find(loginOrId);
    return stored ? { id: stored.userId, login: stored.login } : remote()(loginOrId);
  };
}

/**
 * Turns a request into a complete subscription from the catalog: type and version checked,
 * condition filled and checked, and the authorizing user's scopes checked — all before any
 * subscription call to Twitch.
 */
export async function prepareSubscription(
  request: SubscriptionRequest,
  tokens: TokenStore,
  resolve: ResolveUser,
): Promise<{ entry: CatalogEntry; wanted: WantedSubscription }> {
  const entry = findEntry(request.type, request.version);
  const broadcasterId = request.broadcaster ? (await resolve(request.broadcaster)).id : undefined;
  const condition = fillCondition(entry, broadcasterId, request.condition);
  const problems = conditionProblems(entry, condition);
  if (problems.length > 0) {
    throw new AuthSetupError(
      `${entry.type} v${entry.version}: ${problems.join('; ')}. Pass --broadcaster <login> and/or --condition key=value.`,
    );
  }
  checkAuthorization(entry, condition, tokens);
  return { entry, wanted: { type: entry.type, version: entry.version, condition } };
}
