import { AuthSetupError } from '../auth/auth-errors.js';
import {
  authorizingField,
  describeAuthorizedBy,
  missingScopes,
  type CatalogEntry,
} from '../twitch/catalog-entry.js';
import { loginCommand, scopesToRequest, type LoginAdviceContext } from './login-advice.js';

/**
 * Checks BEFORE calling Twitch that the user whose authorization the type needs has granted our
 * client id its scopes (per our stored token). Throws with the missing scopes and the exact
 * `auth login` command that fixes it — a command that keeps every scope already granted, because
 * the new token replaces the stored one.
 */
export function checkAuthorization(
  entry: CatalogEntry,
  condition: Record<string, string>,
  advice: LoginAdviceContext,
): void {
  const field = authorizingField(entry);
  if (!field || entry.scopes.length === 0) return;
  const userId = condition[field];
  if (!userId)
    throw new AuthSetupError(
      `${entry.type} is authorized by the ${describeAuthorizedBy(entry)}; pass --broadcaster or --condition ${field}=<user id>`,
    );
  const stored = advice.tokens.get(userId);
  const user = { id: userId, ...(stored && { login: stored.login }) };
  const fix = loginCommand(scopesToRequest(user, entry.scopes, advice));
  const device = 'add --device on a headless server';
  if (!stored) {
    throw new AuthSetupError(
      `${entry.type} needs the user in ${field} (${userId}) to authorize this client id with ${describeScopes(entry.scopes)}, ` +
        `but no authorization is stored for them. Have that user log in and run \`${fix}\` (${device}).`,
    );
  }
  const missing = missingScopes(entry, stored.scope);
  if (missing.length > 0) {
    throw new AuthSetupError(
      `${stored.login} (${userId}) has not granted the scope(s) ${entry.type} needs: missing ${describeScopes(missing)}. ` +
        `A new authorization replaces the stored one, so request everything ${stored.login} needs at once: log in as ` +
        `${stored.login} and run \`${fix}\` (${device}).`,
    );
  }
}

/** Scope groups for people: `a or b, c`. */
export function describeScopes(groups: readonly (readonly string[])[]): string {
  return groups.map((group) => group.join(' or ')).join(', ');
}
