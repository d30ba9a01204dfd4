import { beforeEach, expect, test } from '@jest/globals';
import type { Store } from '../../../src/store/store.js';
import { envelopeFrom } from '../envelopes.js';
import type { FreshStore } from '../store-factories.js';
import { insertIfNew } from '../store-writes.js';
import { attempt, daysAgo } from './helpers.js';

/**
 * The StoreMaintenance role's part of the Store contract: warm-up, retention deletes, writability,
 * closing and reopening.
 */
export function storeMaintenanceCases(current: () => FreshStore): void {
  let fresh: FreshStore;
  let store: Store;
  beforeEach(() => {
    fresh = current();
    store = fresh.store;
  });

  test('warmUp prepares the store for serving; calling it again changes nothing', async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const errors: string[] = [];
    await store.warmUp((message) => errors.push(message));
    await store.warmUp((message) => errors.push(message));
    expect(await insertIfNew(store, envelope, ['http'])).toBe('duplicate');
    expect(await insertIfNew(store, envelopeFrom(), ['http'])).toBe('stored');
    expect(await store.countEvents()).toBe(2);
    expect(errors).toEqual([]);
  });

  test('retention deletes old delivered events in batches and keeps pending, dead and recent ones', async () => {
    const oldDelivered = Array.from({ length: 7 }, () =>
      envelopeFrom(undefined, { receivedAt: daysAgo(10) }),
    );
    const oldPending = envelopeFrom(undefined, { receivedAt: daysAgo(10) });
    const oldDead = envelopeFrom(undefined, { receivedAt: daysAgo(10) });
    const oldNoSinks = envelopeFrom(undefined, { receivedAt: daysAgo(10) });
    const recentDelivered = envelopeFrom();
    for (const e of [...oldDelivered, oldPending, oldDead, recentDelivered])
      await insertIfNew(store, e, ['http']);
    await insertIfNew(store, oldNoSinks, []);
    const far = new Date(Date.now() + 86_400_000);
    for (const c of await store.claimDue('http', far, 100, 1000)) {
      if (c.envelope.id === oldPending.id) continue;
      if (c.envelope.id === oldDead.id) await store.recordFailure(c, attempt('gone'), null);
      else await store.recordSuccess(c, attempt());
    }
    const cutoff = new Date(Date.now() - 7 * 86_400_000);
    // One batch per call: 3 + 3 + 2, then nothing is left to delete.
    const batches = [];
    for (let n = 3; n === 3;) batches.push((n = await store.deleteDeliveredBefore(cutoff, 3)));
    expect(batches).toEqual([3, 3, 2]);
    expect(await store.deleteDeliveredBefore(cutoff, 3)).toBe(0);
    expect(await store.countEvents()).toBe(3);
    expect(await store.getEvent(oldDead.id)).not.toBeNull();
    expect(await store.getEvent(oldPending.id)).not.toBeNull();
    expect(await store.getEvent(recentDelivered.id)).not.toBeNull();

    expect(await store.deleteDeadBefore(cutoff, 3)).toBe(1);
    expect(await store.getEvent(oldDead.id)).toBeNull();
    expect(await store.listDead({})).toEqual([]);
    expect((await store.listEvents({})).map((e) => e.id).sort()).toEqual(
      [oldPending.id, recentDelivered.id].sort(),
    );
  });

  test('data survives closing and reopening (migrations are not re-applied)', async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const again = await fresh.reopen();
    try {
      expect(await insertIfNew(again, envelope, ['http'])).toBe('duplicate');
      expect(await again.countEvents()).toBe(1);
      await again.checkWritable();
    } finally {
      await again.close();
    }
  });
}
