import { beforeEach, expect, test } from '@jest/globals';
import type { Store } from '../../../src/store/store.js';
import { envelopeFrom } from '../envelopes.js';
import type { FreshStore } from '../store-factories.js';
import { insertIfNew } from '../store-writes.js';
import { attempt, daysAgo } from './helpers.js';

/**
 * The EventLog role's part of the Store contract: insert once per message id, read after a seq,
 * the latest seq.
 */
export function eventLogCases(current: () => FreshStore): void {
  let store: Store;
  beforeEach(() => {
    store = current().store;
  });

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

  test('a revocation (no event) round-trips unchanged', async () => {
    const envelope = envelopeFrom('revocation.json');
    expect(envelope.event).toBeNull();
    await insertIfNew(store, envelope, []);
    expect((await store.getEvent(envelope.id))?.envelope).toEqual(envelope);
    expect(await store.getEvent('no-such-id')).toBeNull();
  });
}
