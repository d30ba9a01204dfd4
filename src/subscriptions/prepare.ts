import type { TokenStore } from '../auth/token-store.js';
import { conditionProblems, fillCondition, type CatalogEntry } from '../twitch/catalog-entry.js';
import { findEntry } from '../twitch/catalog-lookup.js';
import { AuthSetupError } from '../auth/auth-errors.js';
import type { DesiredEntry } from '../config/subscription-entries.js';
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

/** What preparing needs: stored tokens, a user resolver, our client id, the config file's list. */
export interface PrepareContext {
  tokens: TokenStore;
  resolveUser: ResolveUser;
  /** TWITCH_CLIENT_ID: the default for `client_id` conditions (app-token types). */
  clientId: string;
  /** The config file's `subscriptions:` (for advice that keeps every scope they need). */
  desired: readonly DesiredEntry[];
  /** The catalog row as the transport needs it (WebSockets need fewer scopes for chat types). */
  entryFor?: (entry: CatalogEntry) => CatalogEntry;
}

/** A subscription ready to create, with its catalog row and the resolved broadcaster. */
export interface PreparedSubscription {
  entry: CatalogEntry;
  wanted: WantedSubscription;
  broadcaster?: { id: string; login: string };
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
  context: PrepareContext,
): Promise<PreparedSubscription> {
  const found = findEntry(request.type, request.version);
  const entry = context.entryFor ? context.entryFor(found) : found;
  const broadcaster = request.broadcaster ? await context.resolveUser(request.broadcaster) : undefined;
  const condition = fillCondition(entry, broadcaster?.id, request.condition, context.clientId);
  const problems = conditionProblems(entry, condition);
  if (problems.length > 0) {
    throw new AuthSetupError(
      `${entry.type} v${entry.version}: ${problems.join('; ')}. Pass --broadcaster <login> and/or --condition key=value.`,
    );
  }
  checkAuthorization(entry, condition, context);
  return {
    entry,
    wanted: { type: entry.type, version: entry.version, condition },
    ...(broadcaster && { broadcaster }),
  };
}
