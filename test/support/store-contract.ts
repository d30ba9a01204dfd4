import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Store } from '../../src/store/store.js';
import { envelopeFrom } from './envelopes.js';
import type { FreshStore } from './store-factories.js';
import { insertIfNew } from './store-writes.js';
import { waitFor } from './wait-for.js';

const attempt = (error?: string) => ({
  startedAt: new Date(Date.now() - 5),
  finishedAt: new Date(),
  ...(error && { error }),
});
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * The Store contract: what every implementation must do, each case on a fresh store from `open`.
 * Run against SQLite and the memory store (test/integration/store-contract.test.ts) and PostgreSQL
 * (test/services/store-contract.test.ts); a store of your own can run it too.
 */
export function describeStoreContract(name: string, open: () => Promise<FreshStore>): void {
  describe(`Store contract: ${name}`, () => {
    let fresh: FreshStore;
    let store: Store;
    beforeEach(async () => {
      fresh = await open();
      store = fresh.store;
    });
    afterEach(() => fresh.dispose());

    test('stores a new message id once; a re-send is a duplicate that adds nothing', async () => {
      const envelope = envelopeFrom();
      expect(await insertIfNew(store, envelope, ['http', 'log'])).toBe('stored');
      expect(await insertIfNew(store, { ...envelope, retry: 1 }, ['http', 'log'])).toBe('duplicate');
      expect(await store.countEvents()).toBe(1);
      const detail = await store.getEvent(envelope.id);
      expect(detail?.envelope).toEqual(envelope);
      expect(detail?.deliveries.map((d) => [d.sink, d.status, d.attempts])).toEqual([
        ['http', 'pending', 0],
        ['log', 'pending', 0],
      ]);
    });

    test('readEventsAfter / latestSeq: stored events in seq order after a seq, a page at a time, duplicates absent', async () => {
      expect(await store.latestSeq()).toBe(0);
      expect(await store.readEventsAfter(0, 10)).toEqual([]);
      const envelopes = Array.from({ length: 5 }, () => envelopeFrom());
      const seqs: number[] = [];
      for (const envelope of envelopes) {
        const result = await store.insertEvent(envelope, [{ sink: 'http' }]);
        if (result.outcome === 'stored') seqs.push(result.seq);
      }
      await store.insertEvent(envelopes[0]!, []); // a re-send adds no row
      expect(await store.latestSeq()).toBe(seqs[4]);
      const all = await store.readEventsAfter(0, 10);
      expect(all.map((e) => e.seq)).toEqual(seqs);
      expect(all.map((e) => e.envelope)).toEqual(envelopes);
      expect((await store.readEventsAfter(seqs[1]!, 2)).map((e) => e.seq)).toEqual([seqs[2], seqs[3]]);
      expect(await store.readEventsAfter(seqs[4]!, 10)).toEqual([]);
    });

    test('concurrent inserts of one message id: exactly one is stored', async () => {
      const envelope = envelopeFrom();
      const outcomes = await Promise.all(
        Array.from({ length: 25 }, () => insertIfNew(store, envelope, ['http'])),
      );
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
      expect(await store.countEvents()).toBe(1);
      expect((await store.getEvent(envelope.id))?.deliveries).toHaveLength(1);
    });

    test('insertEvent: claimed deliveries are stored leased, the rest pending; ids come back in order; a duplicate stores nothing', async () => {
      const envelope = envelopeFrom();
      const claim = { token: 'claim-token-1', leaseMs: 60_000 };
      const first = await store.insertEvent(envelope, [
        { sink: 'http', claim },
        { sink: 'log' },
        { sink: 'slow' },
      ]);
      if (first.outcome !== 'stored') throw new Error('expected the first insert to store');
      expect(first.seq).toBeGreaterThan(0);
      expect(first.deliveryIds).toHaveLength(3);
      expect(new Set(first.deliveryIds).size).toBe(3);
      // Leased at insert: no claim query hands the http delivery out again; the unclaimed ones are due.
      const far = new Date(Date.now() + 1000);
      expect(await store.claimDue('http', far, 10, 60_000)).toEqual([]);
      const slow = await store.claimDue('slow', far, 10, 60_000);
      expect(slow.map((c) => [c.envelope.id, c.deliveryId])).toEqual([[envelope.id, first.deliveryIds[2]]]);
      // The claim given at insert is the one that records the outcome.
      expect(
        await store.recordSuccess({ deliveryId: first.deliveryIds[0]!, claimToken: 'wrong' }, attempt()),
      ).toBe(false);
      expect(
        await store.recordSuccess({ deliveryId: first.deliveryIds[0]!, claimToken: claim.token }, attempt()),
      ).toBe(true);

      const detail = await store.getEvent(envelope.id);
      expect(detail?.deliveries.map((d) => [d.sink, d.status, d.attempts])).toEqual([
        ['http', 'delivered', 1],
        ['log', 'pending', 0],
        ['slow', 'pending', 0],
      ]);
      expect(detail?.attempts.filter((a) => a.sink === 'http')).toEqual([
        expect.objectContaining({ attempt: 1, deliveryId: first.deliveryIds[0] }),
      ]);

      const again = await store.insertEvent({ ...envelope, retry: 1 }, [
        { sink: 'http', claim },
        { sink: 'log' },
      ]);
      expect(again).toEqual({ outcome: 'duplicate' });
      expect((await store.getEvent(envelope.id))?.deliveries).toHaveLength(3);
    });

    test('seq is monotonic and never reused, even after retention deleted every older event', async () => {
      const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
      const seqs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const result = await store.insertEvent(envelopeFrom(undefined, { receivedAt: old }), []);
        if (result.outcome === 'stored') seqs.push(result.seq);
      }
      await store.deleteDeliveredBefore(new Date(), 100);
      const next = await store.insertEvent(envelopeFrom(), []);
      if (next.outcome !== 'stored') throw new Error('expected a new event to store');
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(next.seq).toBeGreaterThan(Math.max(...seqs));
    });

    test('a message id retention deleted may be stored again, under a new seq', async () => {
      const envelope = envelopeFrom(undefined, { receivedAt: daysAgo(30) });
      const first = await store.insertEvent(envelope, []);
      if (first.outcome !== 'stored') throw new Error('expected the first insert to store');
      expect(await store.deleteDeliveredBefore(new Date(Date.now() - 86_400_000), 10)).toBe(1);
      expect(await store.getEvent(envelope.id)).toBeNull();
      const again = await store.insertEvent(envelope, [{ sink: 'http' }]);
      if (again.outcome !== 'stored') throw new Error('expected the re-send to store');
      expect(again.seq).toBeGreaterThan(first.seq);
      expect(await store.latestSeq()).toBe(again.seq);
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

    test('a revocation (no event) round-trips unchanged', async () => {
      const envelope = envelopeFrom('revocation.json');
      expect(envelope.event).toBeNull();
      await insertIfNew(store, envelope, []);
      expect((await store.getEvent(envelope.id))?.envelope).toEqual(envelope);
      expect(await store.getEvent('no-such-id')).toBeNull();
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

    test('listEvents filters by type glob, status, sink, since and limit, newest first', async () => {
      const follow = envelopeFrom(undefined, { receivedAt: daysAgo(2) });
      const online = envelopeFrom('notification.stream.online.v1.json');
      const raid = envelopeFrom('notification.channel.raid.v1.json');
      await insertIfNew(store, follow, ['http']);
      await insertIfNew(store, online, ['log']);
      await insertIfNew(store, raid, ['http']);
      const [claimed] = await store.claimDue('log', new Date(), 1, 1000);
      await store.recordFailure(claimed!, attempt('boom'), null);

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

    test('listSinks names every sink with deliveries, once, sorted', async () => {
      expect(await store.listSinks()).toEqual([]);
      await insertIfNew(store, envelopeFrom(), ['log', 'http']);
      await insertIfNew(store, envelopeFrom(), ['http', 'archive']);
      expect(await store.listSinks()).toEqual(['archive', 'http', 'log']);
    });

    test('deliveryBacklog counts pending and dead per sink and dates the oldest pending event', async () => {
      const old = envelopeFrom('notification.channel.follow.v2.json', { receivedAt: daysAgo(2) });
      const recent = envelopeFrom();
      await insertIfNew(store, old, ['http', 'log']);
      await insertIfNew(store, recent, ['http']);
      expect(await store.deliveryBacklog(['http', 'log', 'none'])).toEqual([
        { sink: 'http', pending: 2, dead: 0, oldestPendingReceivedAt: new Date(old.receivedAt) },
        { sink: 'log', pending: 1, dead: 0, oldestPendingReceivedAt: new Date(old.receivedAt) },
        { sink: 'none', pending: 0, dead: 0, oldestPendingReceivedAt: null },
      ]);
      // The old event's http delivery dies: the oldest pending one is now the recent event's.
      const [claim] = await store.claimDue('http', new Date(Date.now() + 1000), 1, 60_000);
      expect(claim!.envelope.id).toBe(old.id);
      await store.recordFailure(claim!, attempt('HTTP 500'), null);
      const [http] = await store.deliveryBacklog(['http']);
      expect(http).toEqual({
        sink: 'http',
        pending: 1,
        dead: 1,
        oldestPendingReceivedAt: new Date(recent.receivedAt),
      });
      expect(await store.deliveryBacklog([])).toEqual([]);
    });

    test("a failed attempt keeps the destination's answer; one without an answer has none", async () => {
      const envelope = envelopeFrom();
      await insertIfNew(store, envelope, ['http']);
      const due = new Date(Date.now() + 1000);
      const [first] = await store.claimDue('http', due, 1, 60_000);
      await store.recordFailure(first!, { ...attempt('HTTP 401'), response: 'bad signature\n' }, new Date());
      const [second] = await store.claimDue('http', new Date(Date.now() + 2000), 1, 60_000);
      await store.recordFailure(second!, attempt('timeout after 10000 ms'), new Date());
      const attempts = (await store.getEvent(envelope.id))!.attempts;
      expect(attempts.map((a) => [a.error, a.response])).toEqual([
        ['HTTP 401', 'bad signature\n'],
        ['timeout after 10000 ms', undefined],
      ]);
    });
  });
}
