import { AuthSetupError } from '../auth/auth-errors.js';
import type { TokenStore } from '../auth/token-store.js';
import { authorizingField, missingScopes, type CatalogEntry } from '../twitch/catalog-entry.js';

/**
 * Checks BEFORE calling Twitch that the user whose authorization the type needs has granted our
 * client id its scopes (per our stored token). Throws with the missing scopes and the exact
 * `auth login` command that fixes it.
 */
export function checkAuthorization(
  entry: CatalogEntry,
  condition: Record<string, string>,
  tokens: TokenStore,
): void {
  if (entry.scopes.length === 0) return;
  const field = authorizingField(entry);
  const userId = field ? condition[field] : undefined;
  const fix = `eventsub-relay auth login --types ${entry.type}`;
  if (!userId)
    throw new AuthSetupError(`${entry.type} needs an authorizing user in the condition; pass --broadcaster`);
  const stored = tokens.get(userId);
  if (!stored) {
    throw new AuthSetupError(
      `${entry.type} needs user ${userId} to authorize this client id (scopes: ${describe(entry.scopes)}), ` +
        `but no authorization is stored for them. Have that user run \`${fix}\` (or \`auth login --device --types ${entry.type}\` on a headless server).`,
    );
  }
  const missing = missingScopes(entry, stored.scope);
  if (missing.length > 0) {
    throw new AuthSetupError(
      `${stored.login} (${userId}) has not granted the scope(s) ${entry.type} needs: missing ${describe(missing)}. ` +
        `Authorize again with them: \`${fix}\` (log in as ${stored.login}).`,
    );
  }
}

function describe(groups: string[][]): string {
  return groups.map((group) => group.join(' or ')).join(', ');
}
