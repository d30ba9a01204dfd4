import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { findingOf, parseDoctorReport } from '../support/doctor-report.js';
import { runCli } from '../support/relay-process.js';
import { startConduitSetup, type ConduitSetup, type ShardRelay } from '../support/conduit-relay.js';
import type { RoutedNotification } from '../support/fake-twitch-conduits.js';
import { createTempDatabase, type TempDatabase } from '../support/pg-database.js';
import { waitFor } from '../support/wait-for.js';

// Three real relay processes on one PostgreSQL database as replicas of a two-shard conduit: each
// claims a shard through the store (CONDUIT_SHARD unset), the third stands by.
jest.setTimeout(240_000);

const LEASE_MS = 3000;
const BROADCASTERS = 12;

let setup: ConduitSetup | undefined;
let db: TempDatabase | undefined;
let watcher: pg.Client | undefined;
afterEach(async () => {
  await watcher?.end().catch(() => undefined);
  watcher = undefined;
  await setup?.close();
  setup = undefined;
  await db?.drop();
  db = undefined;
});

interface ClaimRow {
  shard: number;
  holder: string;
  expired: boolean;
}

/**
 * Samples the fake's shard assignments and the claims table until stopped, and records every
 * moment that breaks the rule: a shard on two sessions, a replica holding two shards, or a shard
 * enabled on one replica's session while the claims name another live replica. `held` counts the
 * samples in which both shards were enabled and claimed (an unexpired lease).
 */
function watchShards(conduitId: string, relays: ShardRelay[], client: pg.Client) {
  const violations: string[] = [];
  const samples: Array<{ at: number; held: boolean }> = [];
  const sessionOwner = new Map<string, number | undefined>();
  const ownerOf = (sessionId: string) => {
    if (!sessionOwner.has(sessionId)) {
      const relay = relays.find((r) => r.process.output().includes(`"sessionId":"${sessionId}"`));
      if (relay) sessionOwner.set(sessionId, relay.process.child.pid);
    }
    return sessionOwner.get(sessionId);
  };
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await client.query<ClaimRow>(
        `SELECT shard, holder, lease_until <= (extract(epoch FROM now()) * 1000)::bigint AS expired
         FROM conduit_shard_claims WHERE conduit_id = $1 ORDER BY shard`,
        [conduitId],
      );
      const shards = setup!.twitch.conduits.conduits.get(conduitId)!.shards;
      const at = Date.now();
      const live = rows.filter((r) => !r.expired);
      const holders = live.map((r) => r.holder);
      if (new Set(holders).size !== holders.length)
        violations.push(`${at}: a replica holds two shards: ${JSON.stringify(live)}`);
      const enabled = shards.filter((s) => s.status === 'enabled' && s.transport?.method === 'websocket');
      const sessions = enabled.map((s) => (s.transport as { session_id: string }).session_id);
      if (new Set(sessions).size !== sessions.length)
        violations.push(`${at}: one session on two shards: ${JSON.stringify(enabled)}`);
      for (const shard of enabled) {
        const owner = ownerOf((shard.transport as { session_id: string }).session_id);
        const claim = live.find((r) => String(r.shard) === shard.id);
        const claimPid = claim && Number(claim.holder.split('/')[1]);
        if (claim && owner !== undefined && claimPid !== owner)
          violations.push(
            `${at}: shard ${shard.id} is on the session of pid ${owner}, the claims name ${claim.holder}`,
          );
      }
      samples.push({ at, held: enabled.length === 2 && live.length === 2 });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    violations,
    samples,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** `eventsub-relay doctor --json` with the environment of `relay`, on the replicas' database. */
async function doctor(relay: ShardRelay, storeUrl: string) {
  const result = await runCli(
    ['doctor', '--timeout', '3000', '--json'],
    {
      DATA_DIR: relay.dir,
      CONFIG_FILE: join(relay.dir, 'eventsub-relay.yml'),
      STORE_URL: storeUrl,
      TRANSPORT: 'conduit',
      EVENTSUB_WS_URL: setup!.ws.url,
      TWURPLE_MOCK_API_PORT: String(setup!.twitch.port),
      TWITCH_CLIENT_ID: setup!.twitch.clientId,
      TWITCH_CLIENT_SECRET: setup!.twitch.clientSecret,
      FORWARD_URL: setup!.consumer.url('/doctor'),
      FORWARD_SECRET: TEST_WEBHOOK_SECRET,
    },
    { cwd: relay.dir },
  );
  return parseDoctorReport(result);
}

async function claimsOf(client: pg.Client, conduitId: string): Promise<ClaimRow[]> {
  const { rows } = await client.query<ClaimRow>(
    `SELECT shard, holder, lease_until <= (extract(epoch FROM now()) * 1000)::bigint AS expired
     FROM conduit_shard_claims WHERE conduit_id = $1 ORDER BY shard`,
    [conduitId],
  );
  return rows;
}

/** The last `n` log lines without the per-event ones, for a failure message. */
function lastLines(output: string, n: number): string {
  const lines = output.split('\n').filter((line) => !/notification received|"msg":"delivered/.test(line));
  return lines.slice(-n).join('\n');
}

/** `rounds` stream.online per broadcaster; returns what the fake did with each. */
async function burst(rounds: number): Promise<RoutedNotification[]> {
  const routed: RoutedNotification[] = [];
  for (let round = 0; round < rounds; round++) {
    routed.push(...setup!.twitch.conduits.notify('stream.online'));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return routed;
}

/** Message ids of the stored stream.online events, with how often each is stored. */
async function storedCounts(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ id: string; n: number }>(
    `SELECT id, COUNT(*)::int AS n FROM events WHERE type = 'stream.online' GROUP BY id`,
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

describe('TRANSPORT=conduit replicas on one PostgreSQL store: three relays, two shards', () => {
  it('the shards are always held and never twice; kill -9 of a holder: the standby takes its shard over; bursts stored and delivered once each', async () => {
    db = await createTempDatabase();
    setup = await startConduitSetup({ broadcasters: BROADCASTERS, shards: 2 });
    const conduit = setup.twitch.conduits.create(2);
    const env = { STORE_URL: db.url, CONDUIT_CLAIM_LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'info' };
    const relays: ShardRelay[] = [];
    for (let i = 0; i < 3; i++)
      relays.push(await setup.start('claimed', { conduitId: conduit.id, env, name: `replica-${i}` }));
    watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
    const client = watcher;

    await setup.shardEnabled(conduit.id, 0);
    await setup.shardEnabled(conduit.id, 1);
    await waitFor(
      async () => (await claimsOf(client, conduit.id)).filter((c) => !c.expired).length === 2,
      30_000,
      'two claims',
    );
    const pidOf = (holder: string) => Number(holder.split('/')[1]);
    const holderPids = (await claimsOf(client, conduit.id)).map((c) => pidOf(c.holder));
    const standby = relays.find((r) => !holderPids.includes(r.process.child.pid!))!;
    expect(standby).toBeDefined();
    await waitFor(
      () => standby.process.output().includes('standby: every shard of conduit'),
      30_000,
      'the standby',
    ).catch((error: unknown) => {
      // What each relay said, to tell a slow start from a claim that went wrong.
      const tails = relays.map((r) => `pid ${r.process.child.pid}:\n${lastLines(r.process.output(), 15)}`);
      throw new Error(
        `${(error as Error).message}; claims held by pids ${holderPids.join(', ')}\n${tails.join('\n')}`,
      );
    });
    expect(standby.process.output()).not.toContain('is assigned to this session');
    const watch = watchShards(conduit.id, relays, client);

    // A burst across the broadcasters: each stored once in the shared store, delivered once.
    const first = await burst(20);
    expect(first).toHaveLength(20 * BROADCASTERS);
    expect(first.every((r) => r.deliveredTo === r.shard)).toBe(true);
    const firstIds = first.map((r) => r.messageId);
    await waitFor(
      async () => (await storedCounts(client)).size === first.length,
      60_000,
      'the first burst stored',
    );
    await waitFor(
      () => firstIds.every((id) => setup!.consumer.counts().has(id)),
      60_000,
      'the first burst delivered',
    );

    // kill -9 the holder of shard 0: its lease runs out, the standby claims it and assigns its own session.
    const claim0 = (await claimsOf(client, conduit.id)).find((c) => c.shard === 0)!;
    const victim = relays.find((r) => r.process.child.pid === pidOf(claim0.holder))!;
    const oldSession = setup.twitch.conduits.conduits.get(conduit.id)!.shards[0]!.transport as {
      session_id: string;
    };
    const killedAt = Date.now();
    victim.process.child.kill('SIGKILL');
    await victim.process.exited;
    const session = await setup.shardEnabled(conduit.id, 0, oldSession.session_id);
    const takeoverMs = Date.now() - killedAt;
    expect(standby.process.output()).toContain(`"sessionId":"${session}"`);
    const after = await claimsOf(client, conduit.id);
    expect(after.find((c) => c.shard === 0)).toMatchObject({ expired: false });
    expect(pidOf(after.find((c) => c.shard === 0)!.holder)).toBe(standby.process.child.pid);
    expect(standby.process.output()).toContain(`this replica holds shard 0 of conduit ${conduit.id}`);

    const second = await burst(20);
    expect(second.every((r) => r.deliveredTo === r.shard)).toBe(true);
    const all = [...first, ...second];
    await waitFor(
      async () => (await storedCounts(client)).size === all.length,
      60_000,
      'the second burst stored',
    );
    await waitFor(
      () => all.every((r) => setup!.consumer.counts().has(r.messageId)),
      60_000,
      'the second burst delivered',
    );
    // doctor beside a replica names each shard's holder from the claims table.
    const report = await doctor(standby, db.url);
    expect(findingOf(report, 'conduit').detail).toBe(
      `${conduit.id}: 2 shard(s); replicas claim them through the store (CONDUIT_SHARD unset): 2 held`,
    );
    const claims = await claimsOf(client, conduit.id);
    for (const claim of claims)
      expect(findingOf(report, `conduit.shard.${claim.shard}`)).toMatchObject({
        status: 'ok',
        detail: expect.stringContaining(`; held by replica ${claim.holder} (lease until `),
      });
    expect(pidOf(claims.find((c) => c.shard === 0)!.holder)).toBe(standby.process.child.pid);
    await watch.stop();

    const stored = await storedCounts(client);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(stored.keys())).toEqual(new Set(all.map((r) => r.messageId)));
    // Delivered once each by whichever replica's worker claimed the delivery (one shared queue).
    for (const r of all) expect(setup.consumer.counts().get(r.messageId)).toBe(1);

    expect(watch.violations).toEqual([]);
    // Always held, except from the kill until the standby's session was assigned.
    const outside = watch.samples.filter((s) => s.at < killedAt || s.at > killedAt + takeoverMs);
    expect(outside.length).toBeGreaterThan(10);
    expect(outside.filter((s) => !s.held)).toEqual([]);
    process.stdout.write(
      `conduit replicas: kill -9 of the holder of shard 0 → the standby held it (claimed and its session assigned) ` +
        `after ${takeoverMs} ms (CONDUIT_CLAIM_LEASE_MS=${LEASE_MS}); ${watch.samples.length} samples of the fake's ` +
        `shards and the claims table, 0 with a shard held twice; ${all.length} notifications stored and delivered once each\n`,
    );
  });
});
