import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { createAuthProvider } from '../../src/auth/auth-provider.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { FakeTwitch } from '../support/fake-twitch.js';
import { tempDir } from '../support/temp-dir.js';

let twitch: FakeTwitch;
let dir: { path: string; cleanup: () => void };

beforeEach(async () => {
  // PUBLIC_URL here is a name nobody serves: no challenge, subscriptions stay pending.
  twitch = await new FakeTwitch({ callbacks: false }).start();
  dir = tempDir();
  process.env.TWURPLE_MOCK_API_PORT = String(twitch.port); // twurple reads it per call
});
afterEach(async () => {
  delete process.env.TWURPLE_MOCK_API_PORT;
  await twitch.stop();
  dir.cleanup();
});

it('an expired stored token is refreshed through RefreshingAuthProvider and the new one persisted (0600)', async () => {
  twitch.addUser({ id: '1337', login: 'streamer' }, ['bits:read'], 'renewed-access');
  twitch.refreshTokens.set('stored-refresh', {
    accessToken: 'renewed-access',
    refreshToken: 'renewed-refresh',
  });
  const tokens = new TokenStore(dir.path);
  tokens.save({
    accessToken: 'stale-access',
    refreshToken: 'stored-refresh',
    scope: ['bits:read'],
    expiresIn: 60,
    obtainmentTimestamp: Date.now() - 3_600_000,
    userId: '1337',
    login: 'streamer',
  });

  const provider = createAuthProvider(
    { clientId: twitch.clientId, clientSecret: twitch.clientSecret },
    tokens,
  );
  const token = await provider.getAccessTokenForUser('1337');

  expect(token?.accessToken).toBe('renewed-access');
  const path = tokens.pathFor('1337');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
    accessToken: 'renewed-access',
    refreshToken: 'renewed-refresh',
    login: 'streamer',
    userId: '1337',
  });
  expect(twitch.requests.filter((r) => r.path === '/auth/token')).toHaveLength(1);
});
