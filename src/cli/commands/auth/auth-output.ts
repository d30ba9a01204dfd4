import type { AuthorizeResult } from '../../../auth/authorize-token.js';
import { lostScopes } from '../../../auth/authorize-token.js';
import type { StoredToken } from '../../../auth/token-store.js';
import { loginCommand } from '../../../subscriptions/login-advice.js';

/** One row of `auth status`: who, which scopes, and when the token expires. */
export interface TokenSummary {
  login: string;
  userId: string;
  scopes: string[];
  /** ISO time the token expires, from oauth2/validate (or a refresh); null when Twitch reported none. */
  expiresAt: string | null;
  expired: boolean;
  refreshable: boolean;
}

/** Summarizes a stored token for `auth status`. */
export function summarize(token: StoredToken, now = Date.now()): TokenSummary {
  const expiresAt = token.expiresIn ? token.obtainmentTimestamp + token.expiresIn * 1000 : null;
  return {
    login: token.login,
    userId: token.userId,
    scopes: token.scope,
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    expired: expiresAt !== null && expiresAt <= now,
    refreshable: Boolean(token.refreshToken),
  };
}

/** The EXPIRES cell: the time, marked when past (a refresh token renews it on next use). */
export function expiryCell(summary: TokenSummary): string {
  if (summary.expiresAt === null) return 'none reported';
  return summary.expired ? `${summary.expiresAt} (expired)` : summary.expiresAt;
}

/** Prints who was authorized; warns on stderr when the new token dropped scopes the old one had. */
export function reportAuthorized(result: AuthorizeResult): void {
  const { stored } = result;
  process.stdout.write(
    `authorized ${stored.login} (user id ${stored.userId}) with scopes: ${stored.scope.join(' ') || '(none)'}\n`,
  );
  const lost = lostScopes(result);
  if (lost.length === 0) return;
  process.stderr.write(
    `warning: this token replaced ${stored.login}'s previous one, which also had: ${lost.join(' ')}. ` +
      'Subscriptions that need those scopes now fail the local check, and Twitch may revoke them. ' +
      `To get them back without losing the others, log in as ${stored.login} and run: ` +
      `${loginCommand([...stored.scope, ...lost])}\n`,
  );
}
