import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { startConduitSetup, type ConduitSetup } from '../support/conduit-relay.js';
import type { RoutedNotification } from '../support/fake-twitch-conduits.js';
import { waitFor } from '../support/wait-for.js';

// Two real relay processes, each with its own SQLite store, as two WebSocket shards of one conduit.
jest.setTimeout(180_000);

let setup: ConduitSetup;
afterEach(async () => setup?.close());

const ROUNDS = 100; // × 20 broadcasters = 2,000 notifications

/** Starts shard 0 then shard 1 on a conduit `sync` would have made; waits until both are enabled. */
async function twoRelays() {
  setup = await startConduitSetup({ broadcasters: 20, shards: 2 });
  const conduit = setup.twitch.conduits.create(2);
  const a = await setup.start(0, { conduitId: conduit.id });
  const b = await setup.start(1, { conduitId: conduit.id });
  await setup.shardEnabled(conduit.id, 0);
  await setup.shardEnabled(conduit.id, 1);
  return { conduit, a, b };
}

/** One stream.online per broadcaster per round; `each` runs after every round. */
async function burst(
  each: (round: number) => void = () => undefined,
  pauseMs = 2,
): Promise<RoutedNotification[]> {
  const routed: RoutedNotification[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    routed.push(...setup.twitch.conduits.notify('stream.online'));
    each(round);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return routed;
}

describe('TRANSPORT=conduit, two relays as two shards', () => {
  it('a burst of 2,000 across 20 broadcasters: each stored once in exactly one relay, the one its shard hashes to, and delivered once', async () => {
    const { a, b } = await twoRelays();
    // The second relay found the subscriptions the first created: 20 stream.online + conduit.shard.disabled.
    expect(setup.creates()).toHaveLength(21);
    expect(b.process.output()).toContain('0 subscription(s) created, 21 already there');

    const routed = await burst();
    expect(routed).toHaveLength(2000);
    expect(routed.every((r) => r.deliveredTo === r.shard)).toBe(true);
    await waitFor(() => setup.consumer.counts().size === 2000, 60_000, '2,000 deliveries');
    expect([...setup.consumer.counts().values()].every((n) => n === 1)).toBe(true);
    expect(setup.consumer.requests).toHaveLength(2000);

    const [inA, inB] = [new Set(await a.storedIds()), new Set(await b.storedIds())];
    expect(inA.size + inB.size).toBe(2000);
    for (const r of routed) expect((r.shard === '0' ? inA : inB).has(r.messageId)).toBe(true);
    // Both shards carried some: 20 channels hash onto both.
    expect(inA.size).toBeGreaterThan(0);
    expect(inB.size).toBeGreaterThan(0);
  });

  it('kill -9 of one relay mid-burst: its shard is disabled, its channels go to the other relay, each once; the loss window is counted', async () => {
    const { conduit, a, b } = await twoRelays();
    let killedAt = 0;
    const routed = await burst((round) => {
      if (round === 30) {
        a.process.child.kill('SIGKILL');
        killedAt = setup.twitch.conduits.routed.length;
      }
    }, 5);
    await a.process.exited;
    const afterKill = routed.slice(killedAt);
    const failedOver = afterKill.filter((r) => r.shard === '0' && r.deliveredTo === '1');
    // The fake saw the socket close, disabled shard 0 and sent the rest of its channels to shard 1.
    expect(setup.twitch.conduits.conduits.get(conduit.id)!.shards[0]!.status).toBe('websocket_disconnected');
    expect(failedOver.length).toBeGreaterThan(0);
    // Twitch had another enabled shard: nothing was dropped.
    expect(routed.every((r) => r.deliveredTo !== undefined)).toBe(true);

    // The surviving relay heard of it (conduit.shard.disabled): a warning and the metric.
    await waitFor(() =>
      b.process.output().includes('Twitch disabled shard 0 of the conduit (websocket_disconnected)'),
    );
    const metrics = await (await fetch(`${b.process.url}/metrics`)).text();
    expect(metrics).toContain(
      'eventsub_conduit_shard_disabled_total{shard="0",status="websocket_disconnected"} 1',
    );

    // Everything the surviving relay got arrives once.
    const toB = routed.filter((r) => r.deliveredTo === '1').map((r) => r.messageId);
    await waitFor(() => toB.every((id) => setup.consumer.counts().has(id)), 60_000, "shard 1's events");
    for (const id of toB) expect(setup.consumer.counts().get(id)).toBe(1);
    const inB = new Set(await b.storedIds());
    expect(toB.every((id) => inB.has(id))).toBe(true);

    // Restart the killed relay on its DATA_DIR: it takes shard 0 back and delivers what it had stored.
    const restartedAt = Date.now();
    const again = await setup.start(0, { conduitId: conduit.id, dir: a.dir });
    await setup.shardEnabled(conduit.id, 0);
    const holdsShardAfterMs = Date.now() - restartedAt;
    const inA = new Set(await again.storedIds());
    await waitFor(
      () => [...inA].every((id) => setup.consumer.counts().has(id)),
      60_000,
      "the killed relay's stored events",
    );
    const toA = routed.filter((r) => r.deliveredTo === '0');
    const lost = toA.filter((r) => !inA.has(r.messageId));
    // WebSocket messages have no acknowledgement: those written to the killed relay's socket but never
    // stored are the inherent loss window. None of them exists anywhere else.
    for (const r of lost) expect(setup.consumer.counts().has(r.messageId)).toBe(false);
    // Nothing was stored twice across the two stores.
    expect([...inA].some((id) => inB.has(id))).toBe(false);
    process.stdout.write(
      `conduit kill -9: ${routed.length} sent, ${toA.length} to the killed shard (${toA.length - lost.length} stored, ` +
        `${lost.length} written to its socket but never stored), ${failedOver.length} failed over to shard 1, ` +
        `restarted relay held shard 0 again after ${holdsShardAfterMs} ms\n`,
    );
  });
});
