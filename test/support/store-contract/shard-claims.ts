import { beforeEach, expect, test } from '@jest/globals';
import type { ShardClaims, Store } from '../../../src/store/store.js';
import type { FreshStore } from '../store-factories.js';
import { waitFor } from '../wait-for.js';

/** The claims of a store that has them (the contract declares which stores do). */
function claimsOf(store: Store): ShardClaims {
  expect(store.shardClaims).toBeDefined();
  return store.shardClaims!;
}

const LEASE = 60_000;

/**
 * The optional ShardClaims role's part of the Store contract: which replica holds which conduit
 * shard. A second handle from `reopen()` is another replica on the same data.
 */
export function shardClaimsCases(current: () => FreshStore): void {
  let fresh: FreshStore;
  let claims: ShardClaims;
  beforeEach(() => {
    fresh = current();
    claims = claimsOf(fresh.store);
  });

  test('each holder gets its own free shard, the lowest first; none left: null; claiming again returns the same shard', async () => {
    expect(await claims.claimShard('c1', 2, 'a', LEASE)).toBe(0);
    expect(await claims.claimShard('c1', 2, 'b', LEASE)).toBe(1);
    expect(await claims.claimShard('c1', 2, 'c', LEASE)).toBeNull();
    expect(await claims.claimShard('c1', 2, 'a', LEASE)).toBe(0);
    // Another conduit is claimed apart.
    expect(await claims.claimShard('c2', 1, 'c', LEASE)).toBe(0);
    const listed = await claims.listShardClaims('c1');
    expect(listed.map(({ shard, holder, expired }) => ({ shard, holder, expired }))).toEqual([
      { shard: 0, holder: 'a', expired: false },
      { shard: 1, holder: 'b', expired: false },
    ]);
    expect(listed[0]!.leaseUntil.getTime()).toBeGreaterThan(listed[0]!.claimedAt.getTime());
  });

  test('only the holder renews or releases; a released shard goes to the next claimer and the old holder cannot renew it', async () => {
    expect(await claims.claimShard('c1', 1, 'a', LEASE)).toBe(0);
    expect(await claims.renewShard('c1', 0, 'a', LEASE)).toBe(true);
    expect(await claims.renewShard('c1', 0, 'b', LEASE)).toBe(false);
    expect(await claims.releaseShard('c1', 0, 'b')).toBe(false);
    expect(await claims.claimShard('c1', 1, 'b', LEASE)).toBeNull();
    expect(await claims.releaseShard('c1', 0, 'a')).toBe(true);
    expect(await claims.claimShard('c1', 1, 'b', LEASE)).toBe(0);
    expect(await claims.renewShard('c1', 0, 'a', LEASE)).toBe(false);
    expect((await claims.listShardClaims('c1')).map((c) => c.holder)).toEqual(['b']);
  });

  test('a lease nobody renews ends: the holder can no longer renew it and another replica takes the shard over', async () => {
    expect(await claims.claimShard('c1', 1, 'a', 300)).toBe(0);
    await waitFor(async () => (await claims.listShardClaims('c1'))[0]!.expired, 10_000, 'the lease to end');
    expect(await claims.renewShard('c1', 0, 'a', LEASE)).toBe(false);
    const other = await fresh.reopen();
    try {
      expect(await claimsOf(other).claimShard('c1', 1, 'b', LEASE)).toBe(0);
      expect(await claims.claimShard('c1', 1, 'a', LEASE)).toBeNull();
      expect(
        (await claims.listShardClaims('c1')).map(({ holder, expired }) => ({ holder, expired })),
      ).toEqual([{ holder: 'b', expired: false }]);
    } finally {
      if (other !== fresh.store) await other.close();
    }
  });

  test('replicas claiming at the same moment never get the same shard', async () => {
    const handles = await Promise.all(Array.from({ length: 6 }, () => fresh.reopen()));
    try {
      for (let round = 0; round < 5; round++) {
        const conduit = `race-${round}`;
        const got = await Promise.all(
          handles.map((handle, i) => claimsOf(handle).claimShard(conduit, 3, `replica-${i}`, LEASE)),
        );
        const shards = got.filter((shard): shard is number => shard !== null);
        // Some replicas may lose a race for the lowest shard and get nothing this round; never a shard twice.
        expect(new Set(shards).size).toBe(shards.length);
        expect(shards.length).toBeGreaterThan(0);
        const listed = await claims.listShardClaims(conduit);
        expect(listed.map((c) => c.shard).sort()).toEqual([...shards].sort());
        for (const claim of listed)
          expect(got[Number(claim.holder.slice('replica-'.length))]).toBe(claim.shard);
      }
    } finally {
      for (const handle of handles) if (handle !== fresh.store) await handle.close();
    }
  });
}

/** A store without the role serves one relay: it must not claim to be shared by replicas. */
export function noShardClaimsCase(current: () => FreshStore): void {
  test('has no shard claims, and so is not shared by replicas (CONDUIT_SHARD names the shard)', () => {
    expect(current().store.shardClaims).toBeUndefined();
    expect(current().store.sharedByReplicas).toBe(false);
  });
}
