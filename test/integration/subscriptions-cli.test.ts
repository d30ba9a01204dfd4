import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeTwitch } from '../support/fake-twitch.js';
import { runCli } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

const BROADCASTER = { id: '1337', login: 'streamer' };
const CALLBACK = 'https://relay.example.com/callback';

let twitch: FakeTwitch;
let dir: { path: string; cleanup: () => void };

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: dir.path,
    TWURPLE_MOCK_API_PORT: String(twitch.port),
    TWITCH_CLIENT_ID: twitch.clientId,
    TWITCH_CLIENT_SECRET: twitch.clientSecret,
    PUBLIC_URL: 'https://relay.example.com',
    EVENTSUB_SECRET: 'a-test-secret-1234567890',
    ...extra,
  };
}

const cli = (args: string[], extra?: Record<string, string>) => runCli(args, env(extra), { cwd: dir.path });

async function authorize(scopes: string[]): Promise<void> {
  const token = twitch.addUser(BROADCASTER, scopes);
  const result = await cli(['auth', 'add', '--access-token', token]);
  expect(result.stderr).toBe('note: no refresh token stored; when it expires, add a new token\n');
  expect(result.code).toBe(0);
}

beforeEach(async () => {
  twitch = await new FakeTwitch().start();
  dir = tempDir();
});
afterEach(async () => {
  await twitch.stop();
  dir.cleanup();
});

describe('auth', () => {
  it('auth add validates the token and stores it per user id with mode 0600', async () => {
    await authorize(['moderator:read:followers']);
    const file = join(dir.path, 'tokens', '1337.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { login: string; scope: string[] };
    expect(stored).toMatchObject({ login: 'streamer', scope: ['moderator:read:followers'] });
    expect(twitch.requests.some((r) => r.path === '/auth/validate')).toBe(true);
    const status = await cli(['auth', 'status']);
    expect(status.stdout).toMatch(/streamer\s+1337\s+\S+\s+no\s+moderator:read:followers/);
  });

  it('auth add refuses an invalid token and stores nothing', async () => {
    const result = await cli(['auth', 'add', '--access-token', 'not-a-token']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Twitch rejected this token');
    expect(result.stderr).toContain('eventsub-relay auth login');
    expect((await cli(['auth', 'status'])).stdout).toContain('nobody is authorized yet');
  });

  it('refreshes an expired token with the refresh token and persists the new one (0600)', async () => {
    twitch.addUser(BROADCASTER, ['moderator:read:followers'], 'fresh-access');
    twitch.refreshTokens.set('old-refresh', { accessToken: 'fresh-access', refreshToken: 'new-refresh' });
    const result = await cli([
      'auth',
      'add',
      '--access-token',
      'expired-access',
      '--refresh-token',
      'old-refresh',
    ]);
    expect(result.code).toBe(0);
    const file = join(dir.path, 'tokens', '1337.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      accessToken: 'fresh-access',
      refreshToken: 'new-refresh',
    });
    expect(
      twitch.requests.filter(
        (r) => r.path === '/auth/token' && r.query.get('grant_type') === 'refresh_token',
      ),
    ).toHaveLength(1);
  });

  it('auth revoke revokes at Twitch and deletes the file', async () => {
    await authorize([]);
    const refused = await cli(['auth', 'revoke', 'streamer']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --yes');
    const result = await cli(['auth', 'revoke', 'streamer', '--yes']);
    expect(result.code).toBe(0);
    expect(twitch.requests.filter((r) => r.path === '/auth/revoke')).toHaveLength(1);
    expect((await cli(['auth', 'status'])).stdout).toContain('nobody is authorized yet');
  });

  it('without TWITCH_CLIENT_ID every Twitch command says where to get one, and calls nothing', async () => {
    for (const args of [
      ['auth', 'status'],
      ['subscribe', 'stream.online', '--broadcaster', 'streamer'],
      ['list'],
      ['sync'],
    ]) {
      const result = await cli(args, { TWITCH_CLIENT_ID: '' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('TWITCH_CLIENT_ID is not set');
      expect(result.stderr).toContain('https://dev.twitch.tv/console/apps');
    }
    expect(twitch.requests).toHaveLength(0);
  });
});

describe('device code flow', () => {
  it('polls while pending, then stores the granted token', async () => {
    twitch.addUser(BROADCASTER, ['moderator:read:followers'], 'device-access');
    twitch.devicePolls = ['pending', 'pending', 'granted'];
    const result = await cli(['auth', 'login', '--device', '--types', 'channel.follow']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ABCD-EFGH');
    expect(result.stdout).toContain('authorized streamer (user id 1337)');
    const polls = twitch.requests.filter((r) => r.path === '/auth/token');
    expect(polls).toHaveLength(3);
    expect(
      new URLSearchParams(twitch.requests.find((r) => r.path === '/auth/device')!.body).get('scopes'),
    ).toBe('moderator:read:followers');
  });

  it.each([
    ['denied', 'denied on Twitch'],
    ['expired', 'device code expired'],
  ] as const)('%s → a message saying what to do, nothing stored', async (answer, message) => {
    twitch.devicePolls = ['pending', answer];
    const result = await cli(['auth', 'login', '--device', '--scopes', 'bits:read']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('auth login --device');
    expect((await cli(['auth', 'status'])).stdout).toContain('nobody is authorized yet');
  });
});

describe('subscribe', () => {
  it('creates channel.follow v2 with the broadcaster as moderator, our callback and secret', async () => {
    await authorize(['moderator:read:followers']);
    const result = await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('status webhook_callback_verification_pending');
    expect(result.stdout).toContain('must be running and reachable');
    const [create] = twitch.eventSubRequests('POST');
    expect(JSON.parse(create!.body)).toEqual({
      type: 'channel.follow',
      version: '2',
      condition: { broadcaster_user_id: '1337', moderator_user_id: '1337' },
      transport: { method: 'webhook', callback: CALLBACK, secret: 'a-test-secret-1234567890' },
    });
    expect(create!.headers.authorization).toBe('Bearer app-token');
  });

  it('missing scope → lists it with the auth login command, and sends nothing to Twitch', async () => {
    await authorize(['bits:read']);
    const before = twitch.requests.length;
    const result = await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing moderator:read:followers');
    expect(result.stderr).toContain('eventsub-relay auth login --types channel.follow');
    expect(twitch.requests.slice(before)).toEqual([]);
    expect(twitch.subscriptions).toHaveLength(0);
  });

  it('a type needing no scope works with a login resolved through Twitch', async () => {
    twitch.users.push(BROADCASTER);
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer']);
    expect(result.code).toBe(0);
    expect(twitch.requests.some((r) => r.path === '/mock/users' && r.query.get('login') === 'streamer')).toBe(
      true,
    );
    expect(twitch.subscriptions[0]).toMatchObject({
      type: 'stream.online',
      version: '1',
      condition: { broadcaster_user_id: '1337' },
    });
  });

  it('refuses an http or non-443 PUBLIC_URL with an explanation, unless --allow-insecure-callback', async () => {
    await authorize([]);
    for (const url of ['http://relay.example.com', 'https://relay.example.com:8443']) {
      const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer'], {
        PUBLIC_URL: url,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('https:// on port 443');
      expect(result.stderr).toContain('--allow-insecure-callback');
    }
    expect(twitch.eventSubRequests()).toHaveLength(0);
    const allowed = await cli(
      ['subscribe', 'stream.online', '--broadcaster', 'streamer', '--allow-insecure-callback'],
      { PUBLIC_URL: 'http://127.0.0.1:9999' },
    );
    expect(allowed.code).toBe(0);
    expect(twitch.subscriptions[0]!.transport.callback).toBe('http://127.0.0.1:9999/callback');
  });

  it('unknown type → points at `eventsub-relay types`, nothing sent', async () => {
    const result = await cli(['subscribe', 'channel.folow', '--broadcaster', 'streamer']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown EventSub type channel.folow');
    expect(result.stderr).toMatch(/eventsub-relay types|did you mean channel\.follow/);
    expect(twitch.requests).toHaveLength(0);
  });

  it('409 says it already exists and exits 0; 403 and 400 explain what to fix', async () => {
    await authorize(['moderator:read:followers']);
    await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    const again = await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already subscribed');
    twitch.createFailures = [403];
    const forbidden = await cli(['subscribe', 'stream.offline', '--broadcaster', 'streamer']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('authorization is missing');
    expect(forbidden.stderr).toContain('auth login --types');
    twitch.createFailures = [400];
    const invalid = await cli(['subscribe', 'stream.offline', '--broadcaster', 'streamer']);
    expect(invalid.stderr).toContain('The value in the version field is not valid');
    expect(twitch.subscriptions).toHaveLength(1);
  });

  it('429 → waits with backoff, tells the user, retries and succeeds', async () => {
    await authorize([]);
    twitch.createFailures = [429, 429];
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer'], {
      EVENTSUB_RELAY_BACKOFF_MS: '20',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('429 Too Many Requests');
    expect(result.stderr).toContain('(2/3)');
    expect(twitch.eventSubRequests('POST')).toHaveLength(3);
    expect(twitch.subscriptions).toHaveLength(1);
  });

  it('429 that persists → gives up after 3 retries with advice', async () => {
    await authorize([]);
    twitch.createFailures = [429, 429, 429, 429];
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer'], {
      EVENTSUB_RELAY_BACKOFF_MS: '10',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('at most 3 subscriptions with the same type and condition');
    expect(twitch.subscriptions).toHaveLength(0);
  });
});

function seed(count: number, callback = CALLBACK): void {
  for (let i = 0; i < count; i++) {
    twitch.subscriptions.push({
      id: `sub-${i}`,
      status: 'enabled',
      type: 'stream.online',
      version: '1',
      condition: { broadcaster_user_id: String(1000 + i) },
      transport: { method: 'webhook', callback },
      created_at: '2026-01-01T00:00:00Z',
      cost: 1,
    });
  }
}

describe('list and unsubscribe', () => {
  it('list follows every page and prints totals', async () => {
    seed(5);
    twitch.pageSize = 2;
    const result = await cli(['list']);
    expect(result.code).toBe(0);
    for (let i = 0; i < 5; i++) expect(result.stdout).toContain(`sub-${i}`);
    expect(result.stdout).toContain('5 shown; total 5, total_cost 5 of max_total_cost 10000');
    expect(twitch.eventSubRequests('GET').map((r) => r.query.get('after'))).toEqual([null, '2', '4']);
    const json = JSON.parse((await cli(['list', '--json', '--type', 'stream.online'])).stdout) as {
      subscriptions: unknown[];
    };
    expect(json.subscriptions).toHaveLength(5);
  });

  it('unsubscribe by id asks for confirmation (refuses without a terminal) and deletes with --yes', async () => {
    seed(3);
    const refused = await cli(['unsubscribe', 'sub-1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --yes');
    expect(twitch.subscriptions).toHaveLength(3);
    const result = await cli(['unsubscribe', 'sub-1', '--yes']);
    expect(result.code).toBe(0);
    expect(twitch.subscriptions.map((s) => s.id)).toEqual(['sub-0', 'sub-2']);
    const all = await cli(['unsubscribe', '--all', '--yes']);
    expect(all.stdout).toContain('deleted sub-2');
    expect(twitch.subscriptions).toHaveLength(0);
  });
});

describe('sync', () => {
  function writeConfig(yaml: string): void {
    writeFileSync(join(dir.path, 'eventsub-relay.yml'), yaml);
  }

  it('plans, applies, then plans nothing; --prune deletes only our callback', async () => {
    await authorize(['moderator:read:followers']);
    seed(1); // ours but not in the config
    seed(1, 'https://someone-else.example.com/callback');
    twitch.subscriptions[1]!.id = 'foreign';
    writeConfig(
      'subscriptions:\n  - type: channel.follow\n    broadcaster: streamer\n  - { type: stream.online, version: "1", broadcaster: "${CHANNEL}" }\n',
    );
    const dry = await cli(['sync', '--dry-run'], { CHANNEL: 'streamer' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ create   channel.follow v2');
    expect(dry.stdout).toContain('+ create   stream.online v1');
    expect(twitch.eventSubRequests('POST')).toHaveLength(0);

    const applied = await cli(['sync'], { CHANNEL: 'streamer' });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('applied 2 change(s)');
    expect(twitch.subscriptions).toHaveLength(4);

    const again = await cli(['sync'], { CHANNEL: 'streamer' });
    expect(again.stdout).toContain('nothing to do');
    expect(twitch.eventSubRequests('POST')).toHaveLength(2);

    const pruned = await cli(['sync', '--prune', '--yes'], { CHANNEL: 'streamer' });
    expect(pruned.stdout).toContain('- delete   stream.online v1 {"broadcaster_user_id":"1000"}');
    expect(twitch.subscriptions.map((s) => s.id)).toContain('foreign');
    expect(twitch.subscriptions.map((s) => s.id)).not.toContain('sub-0');
    expect(twitch.subscriptions).toHaveLength(3);
  });

  it('recreates failed ones and, with --rotate-secret, all of ours with the current secret', async () => {
    await authorize([]);
    writeConfig('subscriptions:\n  - { type: stream.online, broadcaster: streamer }\n');
    await cli(['sync']);
    twitch.subscriptions[0]!.status = 'webhook_callback_verification_failed';
    const repaired = await cli(['sync', '--yes']);
    expect(repaired.stdout).toContain('~ recreate stream.online v1');
    expect(twitch.subscriptions[0]!.status).toBe('webhook_callback_verification_pending');
    const rotated = await cli(['sync', '--rotate-secret', '--yes'], {
      EVENTSUB_SECRET: 'the-new-secret-0987654321',
    });
    expect(rotated.stdout).toContain('secret rotation');
    const last = twitch.eventSubRequests('POST').at(-1)!;
    expect(JSON.parse(last.body).transport.secret).toBe('the-new-secret-0987654321');
  });

  it('a bad config entry names its path; a missing scope stops before any create', async () => {
    await authorize([]);
    writeConfig(
      'subscriptions:\n  - { type: stream.online, broadcaster: streamer }\n  - { broadcaster: streamer }\n',
    );
    const bad = await cli(['sync']);
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain('subscriptions[1].type');
    writeConfig(
      'subscriptions:\n  - { type: stream.online, broadcaster: streamer }\n  - { type: channel.cheer, broadcaster: streamer }\n',
    );
    const missing = await cli(['sync']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('missing bits:read');
    expect(twitch.eventSubRequests()).toHaveLength(0);
  });
});

describe('types and help', () => {
  it('types lists the catalog', async () => {
    const result = await cli(['types']);
    expect(result.stdout).toMatch(
      /channel\.follow\s+2\s+broadcaster_user_id,moderator_user_id\s+moderator:read:followers/,
    );
    expect(result.stdout).toContain('83 type/versions');
  });

  it.each([
    [
      ['auth', 'login'],
      ['--device', '--types', '--scopes'],
    ],
    [
      ['auth', 'add'],
      ['--access-token', '--refresh-token'],
    ],
    [['subscribe'], ['--broadcaster', '--version', '--condition', '--allow-insecure-callback']],
    [['unsubscribe'], ['--type', '--broadcaster', '--all', '--yes']],
    [['list'], ['--status', '--type', '--json']],
    [['sync'], ['--dry-run', '--prune', '--rotate-secret', '--yes']],
  ])('%j --help lists its options', async (command, flags) => {
    const result = await cli([...command, '--help']);
    expect(result.code).toBe(0);
    for (const flag of flags) expect(result.stdout).toContain(flag);
  });
});

describe('the README walkthrough', () => {
  it('authorize, subscribe channel.follow and stream.online, list, sync, remove', async () => {
    await authorize(['moderator:read:followers']);
    expect((await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer'])).code).toBe(0);
    expect((await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer'])).code).toBe(0);
    const listed = await cli(['list']);
    expect(listed.stdout).toMatch(
      /channel\.follow\s+2\s+\{"broadcaster_user_id":"1337","moderator_user_id":"1337"\}\s+webhook_callback_verification_pending/,
    );
    expect(listed.stdout).toMatch(/stream\.online\s+1/);
    writeFileSync(
      join(dir.path, 'eventsub-relay.yml'),
      'subscriptions:\n  - { type: channel.follow, broadcaster: streamer }\n  - { type: stream.online, broadcaster: streamer }\n',
    );
    expect((await cli(['sync'])).stdout).toContain('nothing to do');
    const removed = await cli([
      'unsubscribe',
      '--type',
      'channel.follow',
      '--broadcaster',
      'streamer',
      '--yes',
    ]);
    expect(removed.code).toBe(0);
    expect(twitch.subscriptions.map((s) => s.type)).toEqual(['stream.online']);
    expect((await cli(['unsubscribe', '--all', '--yes'])).code).toBe(0);
    expect(twitch.subscriptions).toHaveLength(0);
  });
});
