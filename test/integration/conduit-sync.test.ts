import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FakeTwitch, type FakeSubscription } from '../support/fake-twitch.js';
import { runCli } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

// `eventsub-relay sync` with TRANSPORT=conduit, as a process, against the fake Twitch's conduits.
jest.setTimeout(60_000);

let twitch: FakeTwitch;
let dir: { path: string; cleanup(): void };
const BROADCASTERS = ['7001', '7002'];

beforeEach(async () => {
  twitch = await new FakeTwitch({ callbacks: false }).start();
  for (const id of BROADCASTERS) twitch.users.push({ id, login: `caster${id}` });
  dir = tempDir('conduit-sync-');
});
afterEach(async () => {
  await twitch.stop();
  dir.cleanup();
});

function writeConfig(conduit: Record<string, unknown>, broadcasters = BROADCASTERS): void {
  writeFileSync(
    join(dir.path, 'eventsub-relay.yml'),
    stringify({
      conduit,
      subscriptions: broadcasters.map((b) => ({ type: 'stream.online', broadcaster: b })),
    }),
  );
}

function sync(...args: string[]) {
  return cli('sync', ...args);
}

function cli(...args: string[]) {
  return runCli(args, {
    DATA_DIR: dir.path,
    CONFIG_FILE: join(dir.path, 'eventsub-relay.yml'),
    TRANSPORT: 'conduit',
    TWURPLE_MOCK_API_PORT: String(twitch.port),
    TWITCH_CLIENT_ID: twitch.clientId,
    TWITCH_CLIENT_SECRET: twitch.clientSecret,
    EVENTSUB_RELAY_BACKOFF_MS: '1',
  });
}

const onConduits = () => twitch.subscriptions.filter((s) => s.transport.method === 'conduit');

describe('eventsub-relay sync, TRANSPORT=conduit', () => {
  it('from zero: --dry-run plans the conduit and its subscriptions and changes nothing; sync creates them; again: nothing to do', async () => {
    writeConfig({ shards: 2 });
    const dry = await sync('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ create   conduit with 2 shard(s)');
    expect(dry.stdout).toContain('+ create   stream.online v1 {"broadcaster_user_id":"7001"}');
    expect(dry.stdout).toContain('+ create   conduit.shard.disabled v1');
    expect(dry.stdout).toContain('4 change(s) planned; run without --dry-run to apply');
    expect(twitch.conduits.conduits.size).toBe(0);
    expect(twitch.subscriptions).toHaveLength(0);

    const applied = await sync();
    expect(applied.code).toBe(0);
    const [conduit] = [...twitch.conduits.conduits.values()];
    expect(conduit!.shards).toHaveLength(2);
    expect(applied.stdout).toContain(`created conduit ${conduit!.id} with 2 shard(s)`);
    expect(applied.stdout).toContain('applied 4 change(s)');
    expect(JSON.parse(readFileSync(join(dir.path, 'conduit.json'), 'utf8'))).toEqual({ id: conduit!.id });
    expect(onConduits().map((s) => [s.type, s.transport.conduit_id])).toEqual([
      ['stream.online', conduit!.id],
      ['stream.online', conduit!.id],
      ['conduit.shard.disabled', conduit!.id],
    ]);
    expect(onConduits().at(-1)!.condition).toEqual({ client_id: twitch.clientId, conduit_id: conduit!.id });

    const again = await sync();
    expect(again.stdout).toContain(`= keep     conduit ${conduit!.id} (2 shard(s))`);
    expect(again.stdout).toContain('nothing to do: Twitch already matches the config');
    expect(twitch.eventSubRequests('POST')).toHaveLength(3);
  });

  it('grows a conduit to the configured shards, adopts a subscription Twitch answers 409 for, prunes only with --prune', async () => {
    const conduit = twitch.conduits.create(1);
    const other = twitch.conduits.create(1);
    const stray = (conduitId: string, broadcaster: string): FakeSubscription => ({
      id: `stray-${conduitId}-${broadcaster}`,
      status: 'enabled',
      type: 'channel.update',
      version: '2',
      condition: { broadcaster_user_id: broadcaster },
      transport: { method: 'conduit', conduit_id: conduitId },
      created_at: new Date().toISOString(),
      cost: 0,
    });
    twitch.subscriptions.push(stray(conduit.id, '7001'), stray(other.id, '7001'));
    writeConfig({ id: conduit.id, shards: 3 });
    twitch.createFailures = [409];

    const applied = await sync();
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`~ grow     conduit ${conduit.id} from 1 to 3 shard(s)`);
    expect(applied.stdout).toContain('  exists stream.online v1');
    expect(conduit.shards).toHaveLength(3);
    // Without --prune the stray subscription stays.
    expect(twitch.subscriptions.some((s) => s.id === `stray-${conduit.id}-7001`)).toBe(true);

    const pruned = await sync('--prune', '--yes');
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(
      `- delete   channel.update v2 {"broadcaster_user_id":"7001"} (stray-${conduit.id}-7001`,
    );
    expect(twitch.subscriptions.some((s) => s.id === `stray-${conduit.id}-7001`)).toBe(false);
    // Another conduit's subscriptions are not this sync's.
    expect(twitch.subscriptions.some((s) => s.id === `stray-${other.id}-7001`)).toBe(true);
    // The prune run created what the scripted 409 had left out; now Twitch matches the config.
    expect((await sync()).stdout).toContain('nothing to do');
  });

  it('refuses a 6th conduit before changing anything, naming the ones to reuse', async () => {
    const existing = Array.from({ length: 5 }, () => twitch.conduits.create(1));
    writeConfig({ shards: 1 });
    const refused = await sync();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("this application already has 5 conduits, Twitch's limit is 5");
    expect(refused.stderr).toContain(existing[0]!.id);
    expect(twitch.conduits.conduits.size).toBe(5);
    expect(twitch.subscriptions).toHaveLength(0);
    expect(existsSync(join(dir.path, 'conduit.json'))).toBe(false);
  });

  it('refuses a plan the cost budget cannot pay before creating anything', async () => {
    const conduit = twitch.conduits.create(1);
    twitch.pageSize = 10_000;
    for (let i = 0; i < 9_999; i++)
      twitch.subscriptions.push({
        id: `paid-${i}`,
        status: 'enabled',
        type: 'stream.online',
        version: '1',
        condition: { broadcaster_user_id: String(100_000 + i) },
        transport: { method: 'webhook', callback: 'https://elsewhere.example/callback' },
        created_at: new Date().toISOString(),
        cost: 1,
      });
    writeConfig({ id: conduit.id });
    const refused = await sync();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      "3 subscription(s) to create, but only 1 of this application's max_total_cost 10000 is left",
    );
    expect(onConduits()).toHaveLength(0);
  });

  it('refuses a configured conduit id Twitch does not have, and creates nothing', async () => {
    writeConfig({ id: 'not-a-conduit' });
    const refused = await sync();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('conduit not-a-conduit is not a conduit of this application');
    expect(twitch.conduits.conduits.size).toBe(0);
    expect(twitch.subscriptions).toHaveLength(0);
  });

  it('list shows the subscriptions on the conduit and its shards', async () => {
    writeConfig({ shards: 2 });
    await sync();
    const [conduit] = [...twitch.conduits.conduits.values()];
    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      `Conduit ${conduit!.id} (2 shard(s); its subscriptions are those above on it):`,
    );
    expect(listed.stdout).toMatch(/\n0 +websocket_disconnected +websocket/);
    const json = JSON.parse((await cli('list', '--json')).stdout) as {
      subscriptions: Array<{ conduitId?: string }>;
      conduit: { id: string; shard_count: number; shards: unknown[] };
    };
    expect(json.conduit).toMatchObject({ id: conduit!.id, shard_count: 2 });
    expect(json.conduit.shards).toHaveLength(2);
    expect(json.subscriptions.filter((s) => s.conduitId === conduit!.id)).toHaveLength(3);
  });
});
