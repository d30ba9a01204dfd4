import { RefreshingAuthProvider } from '@twurple/auth';
import type { TokenStore } from './token-store.js';

/**
 * One RefreshingAuthProvider for the CLI: it supplies the app token (client credentials) that
 * webhook subscriptions need, and every stored user's token, refreshed automatically. Each
 * refresh is written back to the token store (twurple's documented `onRefresh` hook).
 */
export function createAuthProvider(
  credentials: { clientId: string; clientSecret: string; redirectUri?: string },
  tokens: TokenStore,
): RefreshingAuthProvider {
  const provider = new RefreshingAuthProvider(credentials);
  provider.onRefresh((userId, token) => tokens.update(userId, token));
  // Tokens without a refresh token (added by hand) only record who granted which scopes.
  for (const stored of tokens.all().filter((t) => t.refreshToken)) {
    const { userId, login: _login, ...token } = stored;
    provider.addUser(userId, token);
  }
  return provider;
}
