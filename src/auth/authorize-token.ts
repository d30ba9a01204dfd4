import { getTokenInfo, InvalidTokenError, type AccessToken, type TokenInfo } from '@twurple/auth';
import { AuthSetupError } from './auth-errors.js';
import { createAuthProvider } from './auth-provider.js';
import type { StoredToken, TokenStore } from './token-store.js';

/**
 * Validates a user token at Twitch (oauth2/validate) — refreshing it first when it is expired or
 * invalid and a refresh token is known — then stores it under the user id it belongs to.
 */
export async function authorizeToken(
  credentials: { clientId: string; clientSecret: string },
  tokens: TokenStore,
  token: AccessToken,
): Promise<StoredToken> {
  let current: AccessToken = token;
  let info: TokenInfo;
  try {
    if (token.refreshToken) {
      // twurple validates, refreshes when expired/invalid and persists through onRefresh.
      const provider = createAuthProvider(credentials, tokens);
      const userId = await provider.addUserForToken(token);
      current = (await provider.getAccessTokenForUser(userId)) ?? token;
    }
    info = await getTokenInfo(current.accessToken, credentials.clientId);
  } catch (error) {
    if (error instanceof InvalidTokenError || /invalid|401|400/i.test(String((error as Error).message))) {
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
    expiresIn: current.expiresIn ?? null,
    obtainmentTimestamp: current.obtainmentTimestamp ?? Date.now(),
    userId,
    login: info.userName ?? userId,
  };
  tokens.save(stored);
  return stored;
}
