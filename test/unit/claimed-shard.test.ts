import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/observability/logger.js';
import type { ShardClaims } from '../../src/store/store.js';
import { startClaimedShard, type ClaimedShard } from '../../src/transports/conduit/claimed-shard.js';
import { MemoryShardClaims } from '../support/memory-shard-claims.js';
import { waitFor } from '../support/wait-for.js';

const CONDUIT = 'conduit-1';
const LEASE_MS = 600;

/** What a replica's `serve` did: the shards it served, which are open now, and its assignment check. */
function replica(claims: ShardClaims, holder: string) {
  const serving = new Set<number>();
  const served: number[] = [];
  let check: (() => Promise<void>) | undefined;
  const loop: ClaimedShard = startClaimedShard({
    claims,
    conduitId: CONDUIT,
    shardCount: 1,
    holder,
    leaseMs: LEASE_MS,
    logger: createLogger('silent'),
    serve(shard, beforeAssign) {
      served.push(shard);
      serving.add(shard);
      check = beforeAssign;
      return { sessionId: () => `session-of-${holder}`, stop: async () => void serving.delete(shard) };
    },
  });
  return { loop, serving, served, beforeAssign: () => check!() };
}

const running: Array<{ loop: ClaimedShard }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.loop.stop();
});

describe('a replica claiming its conduit shard through the store (startClaimedShard)', () => {
  it('one holds the shard, the other stands by; a refused renewal closes the session, and the old holder may not assign it again', async () => {
    const claims = new MemoryShardClaims();
    const a = replica(claims, 'a');
    running.push(a);
    await waitFor(() => a.serving.has(0), 5000, 'a serving shard 0');
    const b = replica(claims, 'b');
    running.push(b);
    // b tries every third of the lease and finds the shard held.
    await waitFor(async () => (await claims.listShardClaims(CONDUIT))[0]?.holder === 'a', 5000, 'a holding');
    expect(b.served).toEqual([]);
    expect(b.loop.shard()).toBeUndefined();

    // The store hands the shard to b (as after a's lease ended): a's next renewal is refused.
    await claims.releaseShard(CONDUIT, 0, 'a');
    await waitFor(() => b.serving.has(0), 5000, 'b serving shard 0');
    await waitFor(() => !a.serving.has(0), 5000, 'a closing its session');
    expect(a.loop.shard()).toBeUndefined();
    await expect(a.beforeAssign()).rejects.toThrow("shard 0 is no longer this replica's");
    await expect(b.beforeAssign()).resolves.toBeUndefined();
  });

  it('a store that stops answering: the holder closes its session before its lease could end', async () => {
    const memory = new MemoryShardClaims();
    let down = false;
    const flaky: ShardClaims = {
      claimShard: (...args) =>
        down ? Promise.reject(new Error('connection refused')) : memory.claimShard(...args),
      renewShard: (...args) =>
        down ? Promise.reject(new Error('connection refused')) : memory.renewShard(...args),
      releaseShard: (...args) => memory.releaseShard(...args),
      listShardClaims: (...args) => memory.listShardClaims(...args),
    };
    const a = replica(flaky, 'a');
    running.push(a);
    await waitFor(() => a.serving.has(0), 5000, 'a serving shard 0');
    down = true;
    await waitFor(() => !a.serving.has(0), 5000, 'a closing its session');
    // It gave up on its own (the store never refused it) once it could no longer prove its lease; the row is still its.
    expect((await memory.listShardClaims(CONDUIT))[0]).toMatchObject({ holder: 'a' });
  });

  it('a clean stop closes the session and releases the shard for a standby at once', async () => {
    const claims = new MemoryShardClaims();
    const a = replica(claims, 'a');
    await waitFor(() => a.serving.has(0), 5000, 'a serving shard 0');
    await a.loop.stop();
    expect(a.serving.size).toBe(0);
    expect(await claims.listShardClaims(CONDUIT)).toEqual([]);
    expect(await claims.claimShard(CONDUIT, 1, 'b', LEASE_MS)).toBe(0);
  });
});
