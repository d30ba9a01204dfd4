import { getTokenInfo, InvalidTokenError, type AccessToken } from '@twurple/auth';
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
  const provider = createAuthProvider(credentials, tokens);
  let userId: string;
  try {
    userId = await provider.addUserForToken(token);
  } catch (error) {
    if (error instanceof InvalidTokenError || /invalid|401|400/i.test(String((error as Error).message))) {
      throw new AuthSetupError(
        'Twitch rejected this token (oauth2/validate said it is invalid or expired, and it could not be refreshed). ' +
          'Get a fresh one, e.g. with `eventsub-relay auth login`, or pass --refresh-token too.',
      );
    }
    throw error;
  }
  const current = (await provider.getAccessTokenForUser(userId)) ?? token;
  const info = await getTokenInfo(current.accessToken, credentials.clientId);
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
