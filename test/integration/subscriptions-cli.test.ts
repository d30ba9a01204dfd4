import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROADCASTER, CALLBACK, useCliHarness } from '../support/cli-harness.js';

const h = useCliHarness();
const cli = h.cli;
const authorize = h.authorize;

describe('Twitch app credentials', () => {
  it('without TWITCH_CLIENT_ID every Twitch command says where to get one, and calls nothing', async () => {
    for (const args of [
      ['auth', 'validate'],
      ['subscribe', 'stream.online', '--broadcaster', 'streamer'],
      ['list'],
      ['sync'],
    ]) {
      const result = await cli(args, { TWITCH_CLIENT_ID: '' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('TWITCH_CLIENT_ID is not set');
      expect(result.stderr).toContain('https://dev.twitch.tv/console/apps');
    }
    expect(h.twitch.requests).toHaveLength(0);
  });

  it('a wrong TWITCH_CLIENT_SECRET (Twitch: 403 "invalid client secret") is named as such, nothing created', async () => {
    h.twitch.users.push({ id: '1337', login: 'streamer' });
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', '1337'], {
      TWITCH_CLIENT_SECRET: 'wrong-secret-value',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Twitch rejected TWITCH_CLIENT_SECRET (id.twitch.tv answered 403 "invalid client secret")',
    );
    expect(result.stderr).toContain('https://dev.twitch.tv/console/apps');
    expect(result.stderr).toContain('"New Secret"');
    expect(result.stderr).not.toContain('auth login');
    expect(result.stderr).not.toContain('wrong-secret-value');
    const tokenCalls = h.twitch.requests.filter((r) => r.path === '/auth/token');
    expect(tokenCalls.length).toBeGreaterThan(0);
    expect(h.twitch.eventSubRequests()).toEqual([]);
    expect(h.twitch.subscriptions).toEqual([]);
  });

  it('a wrong TWITCH_CLIENT_ID (Twitch: 400 "invalid client") is named as such, nothing created', async () => {
    const result = await cli(['list'], { TWITCH_CLIENT_ID: 'not-our-client' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Twitch does not know TWITCH_CLIENT_ID "not-our-client" (id.twitch.tv answered 400 "invalid client")',
    );
    expect(result.stderr).toContain('https://dev.twitch.tv/console/apps');
    expect(result.stderr).not.toContain('rejected the request as invalid');
    expect(h.twitch.eventSubRequests()).toEqual([]);
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
    const [create] = h.twitch.eventSubRequests('POST');
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
    const before = h.twitch.requests.length;
    const result = await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing moderator:read:followers');
    expect(result.stderr).toContain(
      '`eventsub-relay auth login --scopes bits:read,moderator:read:followers`',
    );
    expect(h.twitch.requests.slice(before)).toEqual([]);
    expect(h.twitch.subscriptions).toHaveLength(0);
  });

  it('a type needing no scope works with a login resolved through Twitch', async () => {
    h.twitch.users.push(BROADCASTER);
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer']);
    expect(result.code).toBe(0);
    expect(
      h.twitch.requests.some((r) => r.path === '/mock/users' && r.query.get('login') === 'streamer'),
    ).toBe(true);
    expect(h.twitch.subscriptions[0]).toMatchObject({
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
    expect(h.twitch.eventSubRequests()).toHaveLength(0);
    const allowed = await cli(
      ['subscribe', 'stream.online', '--broadcaster', 'streamer', '--allow-insecure-callback'],
      { PUBLIC_URL: 'http://127.0.0.1:9999' },
    );
    expect(allowed.code).toBe(0);
    expect(h.twitch.subscriptions[0]!.transport.callback).toBe('http://127.0.0.1:9999/callback');
  });

  it('unknown type → points at `eventsub-relay types`, nothing sent', async () => {
    const result = await cli(['subscribe', 'channel.folow', '--broadcaster', 'streamer']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown EventSub type channel.folow');
    expect(result.stderr).toMatch(/eventsub-relay types|did you mean channel\.follow/);
    expect(h.twitch.requests).toHaveLength(0);
  });

  it("409 says it already exists and exits 0; 400 gives Twitch's message", async () => {
    await authorize(['moderator:read:followers']);
    await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    const again = await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already subscribed');
    h.twitch.createFailures = [400];
    const invalid = await cli(['subscribe', 'stream.offline', '--broadcaster', 'streamer']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('The value in the version field is not valid');
    expect(h.twitch.subscriptions).toHaveLength(1);
  });

  it('403 on create names the type, its scopes, whose authorization (user id and login) and the fix', async () => {
    await authorize(['moderator:read:followers', 'bits:read']);
    h.twitch.createFailures = [403];
    const forbidden = await cli(['subscribe', 'channel.follow', '--broadcaster', 'streamer']);
    expect(forbidden.code).toBe(1);
    const message = forbidden.stderr;
    expect(message).toContain(
      'Twitch refused to create channel.follow v2 {"broadcaster_user_id":"1337","moderator_user_id":"1337"} (403 "subscription missing proper authorization")',
    );
    expect(message).toContain('authorized by the moderator (moderator_user_id');
    expect(message).toContain('here streamer (user id 1337) in moderator_user_id');
    expect(message).toContain('granted this client id moderator:read:followers');
    expect(message).toContain('Our stored token of streamer lists those scopes');
    expect(message).toContain('`eventsub-relay auth login --scopes moderator:read:followers,bits:read`');
    expect(message).not.toContain('<type>');
    expect(h.twitch.subscriptions).toEqual([]);
  });

  it('403 during sync gets the same advice, and stops before anything else is created', async () => {
    await authorize(['moderator:read:followers']);
    writeFileSync(
      join(h.dir, 'eventsub-relay.yml'),
      'subscriptions:\n  - { type: channel.follow, broadcaster: streamer }\n  - { type: stream.online, broadcaster: streamer }\n',
    );
    h.twitch.createFailures = [403];
    const result = await cli(['sync']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Twitch refused to create channel.follow v2');
    expect(result.stderr).toContain('`eventsub-relay auth login --scopes moderator:read:followers`');
    expect(h.twitch.eventSubRequests('POST')).toHaveLength(1);
    expect(h.twitch.subscriptions).toEqual([]);
  });

  it('an unknown --broadcaster keeps its advice (not just "no user")', async () => {
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'ghost']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'eventsub-relay: Twitch has no user "ghost"; check the spelling of --broadcaster (a login like "mychannel" or a numeric user id)\n',
    );
    expect(h.twitch.eventSubRequests()).toEqual([]);
  });

  it('app-token types: client_id comes from TWITCH_CLIENT_ID; drop.entitlement.grant is sent batched', async () => {
    const revoke = await cli(['subscribe', 'user.authorization.revoke']);
    expect(revoke.stderr).toBe('');
    expect(revoke.code).toBe(0);
    const drop = await cli(['subscribe', 'drop.entitlement.grant', '--condition', 'organization_id=org-7']);
    expect(drop.stderr).toBe('');
    expect(drop.code).toBe(0);
    const [first, second] = h.twitch
      .eventSubRequests('POST')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(first).toMatchObject({
      type: 'user.authorization.revoke',
      condition: { client_id: 'fake-client-id' },
    });
    expect(first).not.toHaveProperty('is_batching_enabled');
    expect(second).toMatchObject({
      type: 'drop.entitlement.grant',
      condition: { organization_id: 'org-7' },
      is_batching_enabled: true,
    });
    expect(h.twitch.subscriptions.map((s) => s.type)).toEqual([
      'user.authorization.revoke',
      'drop.entitlement.grant',
    ]);
  });

  it('429 → waits with backoff, tells the user, retries and succeeds', async () => {
    await authorize([]);
    h.twitch.createFailures = [429, 429];
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer'], {
      EVENTSUB_RELAY_BACKOFF_MS: '20',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('429 Too Many Requests');
    expect(result.stderr).toContain('(2/3)');
    expect(h.twitch.eventSubRequests('POST')).toHaveLength(3);
    expect(h.twitch.subscriptions).toHaveLength(1);
  });

  it('429 that persists → gives up after 3 retries with advice', async () => {
    await authorize([]);
    h.twitch.createFailures = [429, 429, 429, 429];
    const result = await cli(['subscribe', 'stream.online', '--broadcaster', 'streamer'], {
      EVENTSUB_RELAY_BACKOFF_MS: '10',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('at most 3 subscriptions with the same type and condition');
    expect(h.twitch.subscriptions).toHaveLength(0);
  });
});

function seed(count: number, callback = CALLBACK): void {
  for (let i = 0; i < count; i++) {
    h.twitch.subscriptions.push({
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
    h.twitch.pageSize = 2;
    const result = await cli(['list']);
    expect(result.code).toBe(0);
    for (let i = 0; i < 5; i++) expect(result.stdout).toContain(`sub-${i}`);
    expect(result.stdout).toContain('5 shown; total 5, total_cost 5 of max_total_cost 10000');
    expect(h.twitch.eventSubRequests('GET').map((r) => r.query.get('after'))).toEqual([null, '2', '4']);
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
    expect(h.twitch.subscriptions).toHaveLength(3);
    const result = await cli(['unsubscribe', 'sub-1', '--yes']);
    expect(result.code).toBe(0);
    expect(h.twitch.subscriptions.map((s) => s.id)).toEqual(['sub-0', 'sub-2']);
    const all = await cli(['unsubscribe', '--all', '--yes']);
    expect(all.stdout).toContain('deleted sub-2');
    expect(h.twitch.subscriptions).toHaveLength(0);
  });

  it('unsubscribe of an id Twitch does not have exits 1 with a message; known ids are still deleted', async () => {
    seed(2);
    const unknown = await cli(['unsubscribe', 'no-such-id', '--yes']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not found on Twitch: no-such-id');
    expect(unknown.stderr).toContain('eventsub-relay list');
    expect(h.twitch.eventSubRequests('DELETE')).toEqual([]);
    const mixed = await cli(['unsubscribe', 'sub-0', 'no-such-id', '--yes']);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain('deleted sub-0');
    expect(mixed.stderr).toContain('not found on Twitch: no-such-id');
    expect(h.twitch.subscriptions.map((s) => s.id)).toEqual(['sub-1']);
  });
});

describe('sync', () => {
  function writeConfig(yaml: string): void {
    writeFileSync(join(h.dir, 'eventsub-relay.yml'), yaml);
  }

  it('plans, applies, then plans nothing; --prune deletes only our callback', async () => {
    await authorize(['moderator:read:followers']);
    seed(1); // ours but not in the config
    seed(1, 'https://someone-else.example.com/callback');
    h.twitch.subscriptions[1]!.id = 'foreign';
    writeConfig(
      'subscriptions:\n  - type: channel.follow\n    broadcaster: streamer\n  - { type: stream.online, version: "1", broadcaster: "${CHANNEL}" }\n',
    );
    const dry = await cli(['sync', '--dry-run'], { CHANNEL: 'streamer' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ create   channel.follow v2');
    expect(dry.stdout).toContain('+ create   stream.online v1');
    expect(h.twitch.eventSubRequests('POST')).toHaveLength(0);

    const applied = await cli(['sync'], { CHANNEL: 'streamer' });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('applied 2 change(s)');
    expect(h.twitch.subscriptions).toHaveLength(4);

    const again = await cli(['sync'], { CHANNEL: 'streamer' });
    expect(again.stdout).toContain('nothing to do');
    expect(h.twitch.eventSubRequests('POST')).toHaveLength(2);

    const pruned = await cli(['sync', '--prune', '--yes'], { CHANNEL: 'streamer' });
    expect(pruned.stdout).toContain('- delete   stream.online v1 {"broadcaster_user_id":"1000"}');
    expect(h.twitch.subscriptions.map((s) => s.id)).toContain('foreign');
    expect(h.twitch.subscriptions.map((s) => s.id)).not.toContain('sub-0');
    expect(h.twitch.subscriptions).toHaveLength(3);
  });

  it('recreates failed ones and, with --rotate-secret, all of ours with the current secret', async () => {
    await authorize([]);
    writeConfig('subscriptions:\n  - { type: stream.online, broadcaster: streamer }\n');
    await cli(['sync']);
    h.twitch.subscriptions[0]!.status = 'webhook_callback_verification_failed';
    const repaired = await cli(['sync', '--yes']);
    expect(repaired.stdout).toContain('~ recreate stream.online v1');
    expect(h.twitch.subscriptions[0]!.status).toBe('webhook_callback_verification_pending');
    const rotated = await cli(['sync', '--rotate-secret', '--yes'], {
      EVENTSUB_SECRET: 'the-new-secret-0987654321',
    });
    expect(rotated.stdout).toContain('secret rotation');
    const last = h.twitch.eventSubRequests('POST').at(-1)!;
    expect(JSON.parse(last.body).transport.secret).toBe('the-new-secret-0987654321');
  });

  it('409 on create (it exists already, e.g. made concurrently) is the state we want: exit 0', async () => {
    await authorize([]);
    writeConfig(
      'subscriptions:\n  - { type: stream.online, broadcaster: streamer }\n  - { type: stream.offline, broadcaster: streamer }\n',
    );
    h.twitch.createFailures = [409];
    const result = await cli(['sync']);
    // No relay runs here: sync says so in one line and acts with its own configuration.
    expect(result.stderr).toMatch(
      /^eventsub-relay sync: no relay answers at http:\/\/\S+; acting with this command's own configuration\n$/,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  exists stream.online v1\n');
    expect(result.stdout).toMatch(
      / {2}created stream\.offline v1: \S+ \(webhook_callback_verification_pending\)/,
    );
    expect(result.stdout).toContain('applied 2 change(s)');
    expect(h.twitch.eventSubRequests('POST')).toHaveLength(2);
    expect(h.twitch.subscriptions.map((s) => s.type)).toEqual(['stream.offline']);
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
    expect(h.twitch.eventSubRequests()).toHaveLength(0);
  });
});
