import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Store } from '../../src/store/store.js';
import { envelopeFrom } from '../support/envelopes.js';
import { STORE_FACTORIES, type FreshStore } from '../support/store-factories.js';

const attempt = (error?: string) => ({
  startedAt: new Date(Date.now() - 5),
  finishedAt: new Date(),
  ...(error && { error }),
});
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** The Store contract: every case runs against SQLite and PostgreSQL, each on a fresh file / database. */
describe.each(STORE_FACTORIES)('Store contract: %s', (_name, open) => {
  let fresh: FreshStore;
  let store: Store;
  beforeEach(async () => {
    fresh = await open();
    store = fresh.store;
  });
  afterEach(() => fresh.dispose());

  test('stores a new message id once; a re-send is a duplicate that adds nothing', async () => {
    const envelope = envelopeFrom();
    expect(await store.insertIfNew(envelope, ['http', 'log'])).toBe('stored');
    expect(await store.insertIfNew({ ...envelope, retry: 1 }, ['http', 'log'])).toBe('duplicate');
    expect(await store.countEvents()).toBe(1);
    const detail = await store.getEvent(envelope.id);
    expect(detail?.envelope).toEqual(envelope);
    expect(detail?.deliveries.map((d) => [d.sink, d.status, d.attempts])).toEqual([
      ['http', 'pending', 0],
      ['log', 'pending', 0],
    ]);
  });

  test('concurrent inserts of one message id: exactly one is stored', async () => {
    const envelope = envelopeFrom();
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, () => store.insertIfNew(envelope, ['http'])),
    );
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    expect(await store.countEvents()).toBe(1);
    expect((await store.getEvent(envelope.id))?.deliveries).toHaveLength(1);
  });

  test('a revocation (no event) round-trips unchanged', async () => {
    const envelope = envelopeFrom('revocation.json');
    expect(envelope.event).toBeNull();
    await store.insertIfNew(envelope, []);
    expect((await store.getEvent(envelope.id))?.envelope).toEqual(envelope);
    expect(await store.getEvent('no-such-id')).toBeNull();
  });

  test('claimDue leases deliveries of one sink, oldest first, up to the limit', async () => {
    const old = envelopeFrom(undefined, { receivedAt: daysAgo(0.02) });
    const newer = envelopeFrom(undefined, { receivedAt: daysAgo(0.01) });
    const newest = envelopeFrom();
    for (const e of [newest, old, newer]) await store.insertIfNew(e, ['http', 'log']);
    const now = new Date();
    const first = await store.claimDue('http', now, 2, 30_000);
    expect(first.map((c) => c.envelope.id)).toEqual([old.id, newer.id]);
    expect(first.every((c) => c.sink === 'http' && c.attempts === 0)).toBe(true);
    // Leased: not handed out again while the lease runs, only the rest is.
    expect((await store.claimDue('http', now, 10, 30_000)).map((c) => c.envelope.id)).toEqual([newest.id]);
    expect(await store.claimDue('http', now, 10, 30_000)).toEqual([]);
    // The other sink's deliveries are independent.
    expect(await store.claimDue('log', now, 10, 30_000)).toHaveLength(3);
    // After the lease ends (a worker died), the deliveries are due again.
    const later = new Date(now.getTime() + 30_001);
    expect(await store.claimDue('http', later, 10, 30_000)).toHaveLength(3);
  });

  test('nextDueAt reports the earliest unleased pending delivery, and null when nothing is pending', async () => {
    expect(await store.nextDueAt('http')).toBeNull();
    const first = envelopeFrom();
    await store.insertIfNew(first, ['http']);
    const [claimed] = await store.claimDue('http', new Date(), 1, 60_000);
    // The claimed one is ours until its lease ends: the worker's poll, not nextDueAt, covers lease expiry.
    expect(await store.nextDueAt('http')).toBeNull();
    const second = envelopeFrom();
    await store.insertIfNew(second, ['http']);
    expect((await store.nextDueAt('http'))?.getTime()).toBe(Date.parse(second.receivedAt));
    await store.recordSuccess(claimed!.deliveryId, attempt());
    const [next] = await store.claimDue('http', new Date(), 1, 60_000);
    await store.recordSuccess(next!.deliveryId, attempt());
    expect(await store.nextDueAt('http')).toBeNull();
  });

  test('recordSuccess marks delivered and keeps the attempt; it is never claimed again', async () => {
    const envelope = envelopeFrom();
    await store.insertIfNew(envelope, ['http']);
    const [claimed] = await store.claimDue('http', new Date(), 1, 30_000);
    await store.recordSuccess(claimed!.deliveryId, attempt());
    const detail = await store.getEvent(envelope.id);
    expect(detail?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
    expect(detail?.deliveries[0]?.deliveredAt).toBeInstanceOf(Date);
    expect(detail?.attempts).toEqual([expect.objectContaining({ sink: 'http', attempt: 1 })]);
    expect(await store.claimDue('http', new Date(Date.now() + 3_600_000), 10, 30_000)).toEqual([]);
  });

  test('recordFailure schedules a retry, then marks dead; listDead and requeue bring it back', async () => {
    const envelope = envelopeFrom();
    await store.insertIfNew(envelope, ['http']);
    const [first] = await store.claimDue('http', new Date(), 1, 30_000);
    const retryAt = new Date(Date.now() + 60_000);
    await store.recordFailure(first!.deliveryId, attempt('HTTP 500'), retryAt);
    let view = (await store.getEvent(envelope.id))?.deliveries[0];
    expect(view).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(view?.nextAttemptAt?.getTime()).toBe(retryAt.getTime());
    expect(await store.claimDue('http', new Date(), 1, 30_000)).toEqual([]);

    const [second] = await store.claimDue('http', retryAt, 1, 30_000);
    expect(second?.attempts).toBe(1);
    await store.recordFailure(second!.deliveryId, attempt('timeout after 10000 ms'), null);
    view = (await store.getEvent(envelope.id))?.deliveries[0];
    expect(view).toMatchObject({ status: 'dead', attempts: 2, nextAttemptAt: null });
    const dead = await store.listDead({});
    expect(dead).toEqual([
      expect.objectContaining({ eventId: envelope.id, sink: 'http', type: 'channel.follow' }),
    ]);
    expect(await store.listDead({ sink: 'other' })).toEqual([]);
    expect((await store.getEvent(envelope.id))?.attempts.map((a) => a.error)).toEqual([
      'HTTP 500',
      'timeout after 10000 ms',
    ]);

    expect(await store.requeue({ ids: [envelope.id] })).toBe(1);
    expect((await store.getEvent(envelope.id))?.deliveries[0]?.status).toBe('pending');
    expect(await store.claimDue('http', new Date(Date.now() + 1000), 1, 30_000)).toHaveLength(1);
  });

  test('requeue filters by type glob and sink; an empty id list matches nothing', async () => {
    const follow = envelopeFrom();
    const online = envelopeFrom('notification.stream.online.v1.json');
    await store.insertIfNew(follow, ['http', 'log']);
    await store.insertIfNew(online, ['http']);
    expect(await store.requeue({ ids: [] })).toBe(0);
    expect(await store.requeue({ type: 'stream.*' })).toBe(1);
    expect(await store.requeue({ sink: 'http' })).toBe(2);
    expect(await store.requeue({ type: 'channel.*', sink: 'log' })).toBe(1);
  });

  test('listEvents filters by type glob, status, sink, since and limit, newest first', async () => {
    const follow = envelopeFrom(undefined, { receivedAt: daysAgo(2) });
    const online = envelopeFrom('notification.stream.online.v1.json');
    const raid = envelopeFrom('notification.channel.raid.v1.json');
    await store.insertIfNew(follow, ['http']);
    await store.insertIfNew(online, ['log']);
    await store.insertIfNew(raid, ['http']);
    const [claimed] = await store.claimDue('log', new Date(), 1, 1000);
    await store.recordFailure(claimed!.deliveryId, attempt('boom'), null);

    const ids = async (query: Parameters<Store['listEvents']>[0]) =>
      (await store.listEvents(query)).map((e) => e.id);
    expect(await ids({})).toEqual([raid.id, online.id, follow.id]);
    expect(await ids({ type: 'channel.*' })).toEqual([raid.id, follow.id]);
    expect(await ids({ type: 'channel_follow' })).toEqual([]);
    expect(await ids({ status: 'dead' })).toEqual([online.id]);
    expect(await ids({ sink: 'http', status: 'pending' })).toEqual([raid.id, follow.id]);
    expect(await ids({ since: new Date(Date.now() - 86_400_000) })).toEqual([raid.id, online.id]);
    expect(await ids({ limit: 1 })).toEqual([raid.id]);
    const [summary] = await store.listEvents({ status: 'dead' });
    expect(summary).toMatchObject({ type: 'stream.online', messageType: 'notification' });
    expect(summary?.deliveries).toEqual([expect.objectContaining({ sink: 'log', status: 'dead' })]);
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
      await store.insertIfNew(e, ['http']);
    await store.insertIfNew(oldNoSinks, []);
    const far = new Date(Date.now() + 86_400_000);
    for (const c of await store.claimDue('http', far, 100, 1000)) {
      if (c.envelope.id === oldPending.id) continue;
      if (c.envelope.id === oldDead.id) await store.recordFailure(c.deliveryId, attempt('gone'), null);
      else await store.recordSuccess(c.deliveryId, attempt());
    }
    const cutoff = new Date(Date.now() - 7 * 86_400_000);
    expect(await store.deleteDeliveredBefore(cutoff, 3)).toBe(8);
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
    await store.insertIfNew(envelope, ['http']);
    const again = await fresh.reopen();
    try {
      expect(await again.insertIfNew(envelope, ['http'])).toBe('duplicate');
      expect(await again.countEvents()).toBe(1);
      await again.checkWritable();
    } finally {
      await again.close();
    }
  });

  test('two handles on the same data claim disjoint deliveries', async () => {
    const other = await fresh.reopen();
    try {
      for (let i = 0; i < 40; i++) await store.insertIfNew(envelopeFrom(), ['http']);
      const now = new Date();
      const batches = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? other : store).claimDue('http', now, 10, 30_000)),
      );
      const ids = batches.flat().map((c) => c.deliveryId);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    } finally {
      await other.close();
    }
  });
});
