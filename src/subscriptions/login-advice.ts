import type { TokenStore } from '../auth/token-store.js';
import { authorizingField } from '../twitch/catalog-entry.js';
import { findEntry, preferredScope } from '../twitch/catalog-lookup.js';
import type { DesiredEntry } from '../config/subscription-entries.js';

/** What advice about `auth login` needs: the stored tokens and the config file's subscriptions. */
export interface LoginAdviceContext {
  tokens: TokenStore;
  desired: readonly DesiredEntry[];
}

/** A user the advice is for: their id, and their login when known. */
export interface AdvisedUser {
  id: string;
  login?: string;
}

/**
 * The scopes `auth login` must request for this user so that nothing is lost: a new token
 * REPLACES the stored one, so the request carries what the stored token already has, the groups
 * `needed` now, and what the config file's subscriptions authorized by this user need.
 * Any-of groups already satisfied are not requested again (channel:manage:polls covers polls).
 */
export function scopesToRequest(
  user: AdvisedUser,
  needed: readonly (readonly string[])[],
  context: LoginAdviceContext,
): string[] {
  const scopes = [...(context.tokens.get(user.id)?.scope ?? [])];
  const groups = [...needed, ...configuredGroups(user, context.desired)];
  for (const group of groups) if (!group.some((s) => scopes.includes(s))) scopes.push(preferredScope(group));
  return scopes;
}

/** The exact command to run, e.g. `eventsub-relay auth login --scopes moderator:read:followers,bits:read`. */
export function loginCommand(scopes: readonly string[]): string {
  return scopes.length > 0
    ? `eventsub-relay auth login --scopes ${scopes.join(',')}`
    : 'eventsub-relay auth login';
}

/** Scope groups of the config file's entries whose authorizing user is this user. */
function configuredGroups(user: AdvisedUser, desired: readonly DesiredEntry[]): string[][] {
  const groups: string[][] = [];
  for (const wanted of desired) {
    let entry;
    try {
      entry = findEntry(wanted.type, wanted.version);
    } catch {
      continue; // a typo in the config file is reported by sync itself, not by this advice
    }
    const field = authorizingField(entry);
    if (field && authorizes(wanted, field, user)) groups.push(...entry.scopes);
  }
  return groups;
}

/** The entry's authorizing user is the explicit condition value, else the broadcaster (login or id). */
function authorizes(wanted: DesiredEntry, field: string, user: AdvisedUser): boolean {
  const explicit = wanted.condition[field];
  if (explicit !== undefined) return explicit === user.id;
  const broadcaster = wanted.broadcaster.toLowerCase();
  return broadcaster === user.id || broadcaster === user.login?.toLowerCase();
}
