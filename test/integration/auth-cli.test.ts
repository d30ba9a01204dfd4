import { describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROADCASTER, loginThroughBrowser, useCliHarness } from '../support/cli-harness.js';

const h = useCliHarness();

function storedToken(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(h.dir, 'tokens', '1337.json'), 'utf8')) as Record<string, unknown>;
}

describe('auth add and auth status', () => {
  it('validates the token, stores it per user id (0600) with the expiry oauth2/validate reported', async () => {
    const before = Date.now();
    await h.authorize(['moderator:read:followers']);
    const after = Date.now();
    const file = join(h.dir, 'tokens', '1337.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = storedToken() as { obtainmentTimestamp: number };
    // The fake's oauth2/validate answers expires_in 14000 for user tokens.
    expect(stored).toMatchObject({
      login: 'streamer',
      scope: ['moderator:read:followers'],
      expiresIn: 14000,
    });
    expect(stored.obtainmentTimestamp).toBeGreaterThanOrEqual(before);
    expect(stored.obtainmentTimestamp).toBeLessThanOrEqual(after);
    expect(h.twitch.requests.some((r) => r.path === '/auth/validate')).toBe(true);

    const expiresAt = new Date(stored.obtainmentTimestamp + 14000 * 1000).toISOString();
    const status = await h.cli(['auth', 'status']);
    expect(status.stdout).toMatch(
      new RegExp(`streamer\\s+1337\\s+${expiresAt.replace(/\./g, '\\.')}\\s+no\\s+moderator:read:followers`),
    );
    const json = JSON.parse((await h.cli(['auth', 'status', '--json'])).stdout) as unknown[];
    expect(json).toEqual([
      {
        login: 'streamer',
        userId: '1337',
        scopes: ['moderator:read:followers'],
        expiresAt,
        expired: false,
        refreshable: false,
      },
    ]);
  });

  it('auth status needs no client credentials and calls nothing (it only reads the token files)', async () => {
    await h.authorize(['bits:read']);
    const before = h.twitch.requests.length;
    const status = await h.cli(['auth', 'status'], { TWITCH_CLIENT_ID: '', TWITCH_CLIENT_SECRET: '' });
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/streamer\s+1337\s+\S+\s+no\s+bits:read/);
    expect(h.twitch.requests.slice(before)).toEqual([]);
  });

  it('refuses an invalid token and stores nothing', async () => {
    const result = await h.cli(['auth', 'add', '--access-token', 'not-a-token']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Twitch rejected this token');
    expect(result.stderr).toContain('eventsub-relay auth login');
    expect((await h.cli(['auth', 'status'])).stdout).toContain('nobody is authorized yet');
  });

  it('refreshes an expired token with the refresh token and persists the new one (0600)', async () => {
    h.twitch.addUser(BROADCASTER, ['moderator:read:followers'], 'fresh-access');
    h.twitch.refreshTokens.set('old-refresh', { accessToken: 'fresh-access', refreshToken: 'new-refresh' });
    const result = await h.cli([
      'auth',
      'add',
      '--access-token',
      'expired-access',
      '--refresh-token',
      'old-refresh',
    ]);
    expect(result.code).toBe(0);
    expect(statSync(join(h.dir, 'tokens', '1337.json')).mode & 0o777).toBe(0o600);
    expect(storedToken()).toMatchObject({ accessToken: 'fresh-access', refreshToken: 'new-refresh' });
    const refreshes = h.twitch.requests.filter(
      (r) => r.path === '/auth/token' && r.query.get('grant_type') === 'refresh_token',
    );
    expect(refreshes).toHaveLength(1);
  });

  it('a refresh refused for a wrong TWITCH_CLIENT_SECRET says so (not "invalid token"), stores nothing', async () => {
    h.twitch.addUser(BROADCASTER, [], 'fresh-access');
    h.twitch.refreshTokens.set('old-refresh', { accessToken: 'fresh-access', refreshToken: 'new-refresh' });
    const result = await h.cli(
      ['auth', 'add', '--access-token', 'expired-access', '--refresh-token', 'old-refresh'],
      { TWITCH_CLIENT_SECRET: 'not-the-secret' },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Twitch rejected TWITCH_CLIENT_SECRET');
    expect(result.stderr).toContain('https://dev.twitch.tv/console/apps');
    expect(result.stderr).not.toContain('not-the-secret');
    expect(result.stderr).not.toContain('Twitch rejected this token');
    expect((await h.cli(['auth', 'status'])).stdout).toContain('nobody is authorized yet');
  });

  it('auth revoke revokes at Twitch and deletes the file', async () => {
    await h.authorize([]);
    const refused = await h.cli(['auth', 'revoke', 'streamer']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --yes');
    const result = await h.cli(['auth', 'revoke', 'streamer', '--yes']);
    expect(result.code).toBe(0);
    expect(h.twitch.requests.filter((r) => r.path === '/auth/revoke')).toHaveLength(1);
    expect((await h.cli(['auth', 'status'])).stdout).toContain('nobody is authorized yet');
  });
});

describe('auth login', () => {
  it('without --types/--scopes and without a config file: says to pass one, calls nothing', async () => {
    const result = await h.cli(['auth', 'login']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('say what to authorize: pass --types channel.follow,stream.online');
    expect(result.stderr).toContain('--scopes');
    expect(result.stdout).toBe('');
    expect(h.twitch.requests).toEqual([]);
  });

  it('a new token with fewer scopes than the stored one: warns which were lost and how to get them back', async () => {
    await h.authorize(['moderator:read:followers', 'bits:read']);
    h.twitch.devicePolls = ['granted'];
    const result = await h.cli(['auth', 'login', '--device', '--scopes', 'channel:read:polls']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('authorized streamer (user id 1337) with scopes: channel:read:polls');
    expect(result.stderr).toContain(
      "warning: this token replaced streamer's previous one, which also had: moderator:read:followers bits:read.",
    );
    expect(result.stderr).toContain(
      'run: eventsub-relay auth login --scopes channel:read:polls,moderator:read:followers,bits:read',
    );
  });

  it('following the missing-scope advice keeps every scope: both the old and the new type pass the check', async () => {
    await h.authorize(['moderator:read:followers']);
    expect((await h.cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer'])).code).toBe(0);
    const refused = await h.cli(['subscribe', 'channel.cheer', '--broadcaster', 'streamer']);
    expect(refused.code).toBe(1);
    const command = /`eventsub-relay (auth login [^`]+)`/.exec(refused.stderr)?.[1];
    expect(command).toBe('auth login --scopes moderator:read:followers,bits:read');

    const login = await loginThroughBrowser(command!.split(' ').slice(2), h.env(), h.dir);
    expect(login.url.searchParams.get('scope')).toBe('moderator:read:followers bits:read');
    expect(login.code).toBe(0);
    expect(login.stderr).not.toContain('warning');
    expect(storedToken()).toMatchObject({ scope: ['moderator:read:followers', 'bits:read'] });

    const cheer = await h.cli(['subscribe', 'channel.cheer', '--broadcaster', 'streamer']);
    expect(cheer.stderr).toBe('');
    expect(cheer.stdout).toContain('created channel.cheer v1');
    const follow = await h.cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    expect(follow.code).toBe(0);
    expect(follow.stdout).toContain('already subscribed: channel.follow v2'); // passed the local check, reached Twitch
    expect(h.twitch.subscriptions.map((s) => s.type)).toEqual(['channel.follow', 'channel.cheer']);
  });

  it("the advice also carries the scopes of the config file's subscriptions for that user", async () => {
    await h.authorize([]);
    writeFileSync(
      join(h.dir, 'eventsub-relay.yml'),
      'subscriptions:\n  - { type: channel.subscribe, broadcaster: streamer }\n  - { type: channel.poll.begin, broadcaster: someone-else }\n',
    );
    const refused = await h.cli(['subscribe', 'channel.cheer', '--broadcaster', 'streamer']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '`eventsub-relay auth login --scopes bits:read,channel:read:subscriptions`',
    );
    expect(h.twitch.eventSubRequests()).toEqual([]);
  });
});

describe('device code flow', () => {
  it('polls while pending, then stores a token with the requested scopes', async () => {
    h.twitch.users.push(BROADCASTER);
    h.twitch.devicePolls = ['pending', 'pending', 'granted'];
    const result = await h.cli(['auth', 'login', '--device', '--types', 'channel.follow']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ABCD-EFGH');
    expect(result.stdout).toContain(
      'authorized streamer (user id 1337) with scopes: moderator:read:followers',
    );
    expect(h.twitch.requests.filter((r) => r.path === '/auth/token')).toHaveLength(3);
    const start = h.twitch.requests.find((r) => r.path === '/auth/device')!;
    expect(new URLSearchParams(start.body).get('scopes')).toBe('moderator:read:followers');
  });

  it.each([
    ['denied', 'denied on Twitch'],
    ['expired', 'device code expired'],
  ] as const)('%s → a message saying what to do, nothing stored', async (answer, message) => {
    h.twitch.users.push(BROADCASTER);
    h.twitch.devicePolls = ['pending', answer];
    const result = await h.cli(['auth', 'login', '--device', '--scopes', 'bits:read']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('auth login --device');
    expect((await h.cli(['auth', 'status'])).stdout).toContain('nobody is authorized yet');
  });
});
