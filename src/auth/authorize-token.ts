import { getTokenInfo, InvalidTokenError, type AccessToken, type TokenInfo } from '@twurple/auth';
import { getRawData } from '@twurple/common';
import { AuthSetupError } from './auth-errors.js';
import { createAuthProvider } from './auth-provider.js';
import { explainTokenEndpointError, isTokenEndpointError } from './token-endpoint-errors.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** What `authorizeToken` stored, and the token it replaced for the same user (if any). */
export interface AuthorizeResult {
  stored: StoredToken;
  replaced: StoredToken | undefined;
}

/**
 * Validates a user token at Twitch (oauth2/validate) — refreshing it first when it is expired or
 * invalid and a refresh token is known — then stores it under the user id it belongs to, with the
 * expiry oauth2/validate reported (so `auth status` knows it even for `auth add` tokens).
 */
export async function authorizeToken(
  credentials: { clientId: string; clientSecret: string },
  tokens: TokenStore,
  token: AccessToken,
): Promise<AuthorizeResult> {
  // Snapshot first: a refresh below persists through onRefresh before we know whose token it is.
  const before = new Map(tokens.all().map((t) => [t.userId, t]));
  let current: AccessToken = token;
  let info: TokenInfo;
  let validatedAt: number;
  try {
    if (token.refreshToken) {
      // twurple validates, refreshes when expired/invalid and persists through onRefresh.
      const provider = createAuthProvider(credentials, tokens);
      const userId = await provider.addUserForToken(token);
      current = (await provider.getAccessTokenForUser(userId)) ?? token;
    }
    info = await getTokenInfo(current.accessToken, credentials.clientId);
    validatedAt = Date.now();
  } catch (error) {
    if (isTokenEndpointError(error)) throw explainTokenEndpointError('refresh the token', error);
    if (error instanceof InvalidTokenError) {
      throw new AuthSetupError(
        'Twitch rejected this token (oauth2/validate said it is invalid or expired, and it could not be refreshed). ' +
          'Get a fresh one, e.g. with `eventsub-relay auth login`, or pass --refresh-token too.',
      );
    }
    throw error;
  }
  const userId = info.userId;
  if (!userId)
    throw new AuthSetupError(
      'this is an app access token; `auth add` needs a user access token of the broadcaster or moderator',
    );
  if (info.clientId !== credentials.clientId) {
    throw new AuthSetupError(
      `this token belongs to client id ${info.clientId}, not TWITCH_CLIENT_ID (${credentials.clientId}); ` +
        'authorize with the same application the relay uses',
    );
  }
  const stored: StoredToken = {
    accessToken: current.accessToken,
    refreshToken: current.refreshToken ?? null,
    scope: info.scopes,
    ...validatedExpiry(info, validatedAt),
    userId,
    login: info.userName ?? userId,
  };
  tokens.save(stored);
  return { stored, replaced: before.get(userId) };
}

/**
 * Expiry as oauth2/validate reports it: `expires_in` seconds from the moment it answered.
 * Absent or 0 means Twitch gave no expiry (tokens of old clients that never expire).
 */
function validatedExpiry(
  info: TokenInfo,
  validatedAt: number,
): Pick<AccessToken, 'expiresIn' | 'obtainmentTimestamp'> {
  const seconds = (getRawData(info) as { expires_in?: unknown }).expires_in;
  return {
    expiresIn: typeof seconds === 'number' && seconds > 0 ? seconds : null,
    obtainmentTimestamp: validatedAt,
  };
}

/** Scopes the replaced token had that the new one lacks (what re-authorizing just lost). */
export function lostScopes(result: AuthorizeResult): string[] {
  const kept = new Set(result.stored.scope);
  return (result.replaced?.scope ?? []).filter((scope) => !kept.has(scope));
}
