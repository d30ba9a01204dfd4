import { beforeEach, expect, test } from '@jest/globals';
import type { Store } from '../../../src/store/store.js';
import { envelopeFrom } from '../envelopes.js';
import type { FreshStore } from '../store-factories.js';
import { insertIfNew } from '../store-writes.js';
import { waitFor } from '../wait-for.js';
import { attempt, daysAgo } from './helpers.js';

/**
 * The DeliveryQueue role's part of the Store contract: claims under a lease, outcomes only while
 * the claim is held, retries, replays, released claims.
 */
export function deliveryQueueCases(current: () => FreshStore): void {
  let fresh: FreshStore;
  let store: Store;
  beforeEach(() => {
    fresh = current();
    store = fresh.store;
  });

  test('claimDue leases deliveries of one sink, oldest first, up to the limit', async () => {
    const old = envelopeFrom(undefined, { receivedAt: daysAgo(0.02) });
    const newer = envelopeFrom(undefined, { receivedAt: daysAgo(0.01) });
    const newest = envelopeFrom();
    for (const e of [newest, old, newer]) await insertIfNew(store, e, ['http', 'log']);
    const now = new Date();
    const first = await store.claimDue('http', now, 2, 30_000);
    expect(first.map((c) => c.envelope.id)).toEqual([old.id, newer.id]);
    expect(first.every((c) => c.sink === 'http' && c.attempts === 0)).toBe(true);
    // Leased: not handed out again while the lease runs, only the rest is.
    expect((await store.claimDue('http', now, 10, 30_000)).map((c) => c.envelope.id)).toEqual([newest.id]);
    expect(await store.claimDue('http', now, 10, 30_000)).toEqual([]);
    // The other sink's deliveries are independent.
    expect(await store.claimDue('log', now, 10, 50)).toHaveLength(3);
    // After the lease ends (a worker died), the deliveries are due again, under a new claim token.
    expect(await store.claimDue('log', now, 1, 50)).toEqual([]);
    let again: Awaited<ReturnType<Store['claimDue']>> = [];
    await waitFor(async () => (again = await store.claimDue('log', new Date(), 10, 30_000)).length === 3);
    expect(again.map((c) => c.envelope.id).sort()).toEqual([old.id, newer.id, newest.id].sort());
  });

  test('nextDueAt reports the earliest unleased pending delivery, and null when nothing is pending', async () => {
    expect(await store.nextDueAt('http', new Date())).toBeNull();
    const first = envelopeFrom();
    await insertIfNew(store, first, ['http']);
    const [claimed] = await store.claimDue('http', new Date(), 1, 60_000);
    // The claimed one is ours until its lease ends: the worker's poll, not nextDueAt, covers lease expiry.
    expect(await store.nextDueAt('http', new Date())).toBeNull();
    const second = envelopeFrom();
    await insertIfNew(store, second, ['http']);
    expect((await store.nextDueAt('http', new Date()))?.getTime()).toBe(Date.parse(second.receivedAt));
    await store.recordSuccess(claimed!, attempt());
    const [next] = await store.claimDue('http', new Date(), 1, 60_000);
    await store.recordSuccess(next!, attempt());
    expect(await store.nextDueAt('http', new Date())).toBeNull();
  });

  test('retryPendingNow makes waiting deliveries of one sink due now, in arrival order, leased ones left alone', async () => {
    const envelopes = [envelopeFrom(), envelopeFrom(), envelopeFrom()];
    for (const e of envelopes) await insertIfNew(store, e, ['http', 'log']);
    const later = new Date(Date.now() + 600_000);
    // Each fails once and waits 10 minutes; the newest failing first, so due times alone would reverse them.
    const claims = await store.claimDue('http', new Date(), 10, 30_000);
    for (const claimed of [...claims].reverse())
      await store.recordFailure(claimed, attempt('HTTP 503'), later);
    const other = envelopeFrom();
    await insertIfNew(store, other, ['http']);
    const [leased] = await store.claimDue('http', new Date(), 1, 60_000);
    expect(leased?.envelope.id).toBe(other.id);
    expect(await store.claimDue('http', new Date(), 10, 30_000)).toEqual([]);

    const now = new Date();
    expect(await store.retryPendingNow('http', now)).toBe(3);
    const due = await store.claimDue('http', new Date(now.getTime() + 1), 10, 30_000);
    expect(due.map((c) => c.envelope.id)).toEqual(envelopes.map((e) => e.id));
    // Attempt counts stay: the schedule goes on from where it was.
    expect(due.every((c) => c.attempts === 1)).toBe(true);
    // The other sink was never touched, and nothing is left to bring forward.
    expect(await store.retryPendingNow('log', now)).toBe(0);
    expect(await store.retryPendingNow('http', now)).toBe(0);
  });

  test('listDead pages dead or pending deliveries newest first by delivery id', async () => {
    const envelopes = [envelopeFrom(), envelopeFrom(), envelopeFrom()];
    for (const e of envelopes) await insertIfNew(store, e, ['http']);
    const pending = await store.listDead({ status: 'pending', sink: 'http', limit: 2 });
    expect(pending.map((d) => d.eventId)).toEqual([envelopes[2]!.id, envelopes[1]!.id]);
    expect(pending[0]).toMatchObject({ status: 'pending', sink: 'http', eventSeq: expect.any(Number) });
    const rest = await store.listDead({ status: 'pending', sink: 'http', beforeId: pending[1]!.deliveryId });
    expect(rest.map((d) => d.eventId)).toEqual([envelopes[0]!.id]);
    expect(await store.listDead({ sink: 'http' })).toEqual([]);
    const events = await store.listEvents({ limit: 2 });
    expect(events.map((e) => e.id)).toEqual([envelopes[2]!.id, envelopes[1]!.id]);
    const older = await store.listEvents({ limit: 2, beforeSeq: events[1]!.seq });
    expect(older.map((e) => e.id)).toEqual([envelopes[0]!.id]);
  });

  test('recordSuccess marks delivered and keeps the attempt; it is never claimed again', async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const [claimed] = await store.claimDue('http', new Date(), 1, 30_000);
    await store.recordSuccess(claimed!, attempt());
    const detail = await store.getEvent(envelope.id);
    expect(detail?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
    expect(detail?.deliveries[0]?.deliveredAt).toBeInstanceOf(Date);
    expect(detail?.attempts).toEqual([expect.objectContaining({ sink: 'http', attempt: 1 })]);
    expect(await store.claimDue('http', new Date(Date.now() + 3_600_000), 10, 30_000)).toEqual([]);
  });

  test('recordFailure schedules a retry, then marks dead; listDead and requeue bring it back', async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const [first] = await store.claimDue('http', new Date(), 1, 30_000);
    const retryAt = new Date(Date.now() + 60_000);
    await store.recordFailure(first!, attempt('HTTP 500'), retryAt);
    let view = (await store.getEvent(envelope.id))?.deliveries[0];
    expect(view).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(view?.nextAttemptAt?.getTime()).toBe(retryAt.getTime());
    expect(await store.claimDue('http', new Date(), 1, 30_000)).toEqual([]);

    const [second] = await store.claimDue('http', retryAt, 1, 30_000);
    expect(second?.attempts).toBe(1);
    await store.recordFailure(second!, attempt('timeout after 10000 ms'), null);
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
    await insertIfNew(store, follow, ['http', 'log']);
    await insertIfNew(store, online, ['http']);
    expect(await store.requeue({ ids: [] })).toBe(0);
    expect(await store.requeue({ type: 'stream.*' })).toBe(1);
    expect(await store.requeue({ sink: 'http' })).toBe(2);
    expect(await store.requeue({ type: 'channel.*', sink: 'log' })).toBe(1);
  });

  test('an outcome counts only while its claim is held: a late result cannot flip a re-claimed or finished delivery', async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const [stale] = await store.claimDue('http', new Date(), 1, 50);
    // Its lease ends while the attempt is still running; another worker claims the delivery.
    let current: Awaited<ReturnType<Store['claimDue']>>[number] | undefined;
    await waitFor(
      async () => (current = (await store.claimDue('http', new Date(), 1, 30_000))[0]) !== undefined,
    );
    expect(current!.claimToken).not.toBe(stale!.claimToken);

    // The stale attempt's results change nothing and leave no attempt behind.
    expect(await store.recordFailure(stale!, attempt('late'), null)).toBe(false);
    expect(await store.recordSuccess(stale!, attempt())).toBe(false);
    let detail = await store.getEvent(envelope.id);
    expect(detail?.deliveries[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(detail?.attempts).toEqual([]);

    // The current claim decides; after it, even its own token is spent.
    expect(await store.recordSuccess(current!, attempt())).toBe(true);
    expect(await store.recordFailure(current!, attempt('late'), null)).toBe(false);
    expect(await store.recordSuccess(stale!, attempt())).toBe(false);
    detail = await store.getEvent(envelope.id);
    expect(detail?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(detail?.attempts).toHaveLength(1);
  });

  test('a replay voids a claim whose lease ended, and leaves a delivery being attempted right now alone', async () => {
    const stale = envelopeFrom();
    const inFlight = envelopeFrom(undefined, { receivedAt: daysAgo(0.01) }); // older: claimed first
    await insertIfNew(store, stale, ['http']);
    const [expired] = await store.claimDue('http', new Date(), 1, 50);
    await waitFor(async () => (await store.nextDueAt('http', new Date())) !== null); // lease over
    await insertIfNew(store, inFlight, ['http', 'log']);
    const [live] = await store.claimDue('http', new Date(), 1, 30_000);
    expect(live?.envelope.id).toBe(inFlight.id);

    // `stale` and inFlight's log delivery; not the http delivery in flight.
    expect(await store.requeue({})).toBe(2);
    expect(await store.recordSuccess(expired!, attempt())).toBe(false);
    expect((await store.getEvent(stale.id))?.deliveries[0]).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    expect(await store.recordSuccess(live!, attempt())).toBe(true);
  });

  test('requeue starts a fresh schedule: the attempt count goes back to 0, the attempt history stays', async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const fail = async (next: Date | null) => {
      const [claimed] = await store.claimDue('http', new Date(Date.now() + 3_600_000), 1, 30_000);
      expect(await store.recordFailure(claimed!, attempt('HTTP 500'), next)).toBe(true);
      return claimed!;
    };
    await fail(new Date());
    await fail(new Date());
    await fail(null);
    expect((await store.getEvent(envelope.id))?.deliveries[0]).toMatchObject({
      status: 'dead',
      attempts: 3,
    });

    expect(await store.requeue({ ids: [envelope.id] })).toBe(1);
    expect((await store.getEvent(envelope.id))?.deliveries[0]).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    // The worker sees attempt 0 again, so the next failure takes the schedule's first step, not "dead".
    const claimed = await fail(new Date(Date.now() + 5_000));
    expect(claimed.attempts).toBe(0);
    const view = (await store.getEvent(envelope.id))?.deliveries[0];
    expect(view).toMatchObject({ status: 'pending', attempts: 1 });

    const [last] = await store.claimDue('http', new Date(Date.now() + 10_000), 1, 30_000);
    expect(last!.attempts).toBe(1);
    expect(await store.recordSuccess(last!, attempt())).toBe(true);
    const detail = await store.getEvent(envelope.id);
    expect(detail?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(detail?.attempts.map((a) => [a.attempt, a.error ?? 'ok'])).toEqual([
      [1, 'HTTP 500'],
      [2, 'HTTP 500'],
      [3, 'HTTP 500'],
      [4, 'HTTP 500'],
      [5, 'ok'],
    ]);
  });

  test('claims left by a killed process: released at once on a single-process store, kept by a shared one', async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const [orphan] = await store.claimDue('http', new Date(), 1, 60_000);
    const restarted = await fresh.reopen();
    try {
      expect(restarted.sharedByReplicas).toBe(store.sharedByReplicas);
      if (!restarted.sharedByReplicas) {
        // One process serves from this store, so a claim from before this start is void.
        expect(await restarted.releaseAllClaims()).toBe(1);
        const [resumed] = await restarted.claimDue('http', new Date(), 1, 60_000);
        expect(resumed?.envelope.id).toBe(envelope.id);
        expect(await restarted.recordSuccess(orphan!, attempt())).toBe(false);
        expect(await restarted.recordSuccess(resumed!, attempt())).toBe(true);
      } else {
        // Shared: the claim may be another replica's live work, so releasing changes nothing. Its
        // lease runs on the store's clock, so even a replica whose own clock is far ahead cannot take it early.
        expect(await restarted.releaseAllClaims()).toBe(0);
        const skewed = new Date(Date.now() + 10 * 60_000);
        expect(await restarted.claimDue('http', skewed, 1, 60_000)).toEqual([]);
        expect(await restarted.nextDueAt('http', skewed)).toBeNull();
        expect(await restarted.recordSuccess(orphan!, attempt())).toBe(true);
      }
    } finally {
      await restarted.close();
    }
  });

  test('two handles on the same data claim disjoint deliveries', async () => {
    const other = await fresh.reopen();
    try {
      for (let i = 0; i < 40; i++) await insertIfNew(store, envelopeFrom(), ['http']);
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
}
