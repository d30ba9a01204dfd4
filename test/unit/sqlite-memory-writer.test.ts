import { describe, expect, it } from '@jest/globals';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { envelopeFrom } from '../support/envelopes.js';

/**
 * A database in memory exists only on the connection that opened it, so its writer cannot run on
 * the writer thread: the same SqliteWriter runs on the caller's thread. Every write still goes
 * through it (group commit, dedup index, numbering), and reads see what it committed.
 */
describe('SqliteStore in memory (writer on the caller thread)', () => {
  it('stores, deduplicates, numbers in order, claims, records and replays', async () => {
    const store = SqliteStore.open(':memory:');
    try {
      await store.warmUp();
      const [first, second] = [envelopeFrom(), envelopeFrom()];
      const stored = await Promise.all([
        store.insertEvent(first, [{ sink: 'log' }]),
        store.insertEvent(second, [{ sink: 'log' }]),
        store.insertEvent(first, [{ sink: 'log' }]),
      ]);
      expect(stored.map((result) => result.outcome)).toEqual(['stored', 'stored', 'duplicate']);
      const seqs = stored.slice(0, 2).map((result) => (result as { seq: number }).seq);
      expect(seqs[1]).toBe(seqs[0]! + 1);
      expect((await store.readEventsAfter(0, 10)).map((event) => event.envelope.id)).toEqual([
        first.id,
        second.id,
      ]);

      const claimed = await store.claimDue('log', new Date(Date.now() + 1000), 5, 60_000);
      expect(claimed.map((delivery) => delivery.envelope.id)).toEqual([first.id, second.id]);
      const attempt = { startedAt: new Date(), finishedAt: new Date() };
      expect(await store.recordSuccess(claimed[0]!, attempt)).toBe(true);
      expect(await store.recordSuccess(claimed[0]!, attempt)).toBe(false);
      expect((await store.getEvent(first.id))?.deliveries[0]?.status).toBe('delivered');

      expect(await store.requeue({ ids: [first.id] })).toBe(1);
      expect((await store.getEvent(first.id))?.deliveries[0]?.status).toBe('pending');
      await store.checkWritable();
    } finally {
      await store.close();
    }
  });
});
