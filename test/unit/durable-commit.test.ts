import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GroupCommit } from '../../src/store/sqlite/group-commit.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { WalSync, WalSyncError } from '../../src/store/sqlite/wal-sync.js';
import { envelopeFrom } from '../support/envelopes.js';
import { tempDir } from '../support/temp-dir.js';
import { insertIfNew } from '../support/store-writes.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function controlledFlush() {
  const flushes: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  const durable = () =>
    new Promise<void>((resolve, reject) => {
      flushes.push({ resolve, reject });
    });
  return { flushes, durable };
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit waits for the disk before anyone is answered', () => {
  it('commits a tick of jobs in one batch, then resolves them only after the flush that follows', async () => {
    const batches: number[][] = [];
    const { flushes, durable } = controlledFlush();
    const commit = new GroupCommit<number, number>((jobs) => {
      batches.push(jobs);
      return jobs.map((job) => ({ ok: true, value: job * 10 }));
    }, durable);
    const settled: number[] = [];
    const results = [1, 2, 3].map((n) => commit.submit(n).then((value) => settled.push(value)));

    await nextTick();
    expect(batches).toEqual([[1, 2, 3]]); // committed together…
    expect(flushes).toHaveLength(1);
    await nextTick();
    expect(settled).toEqual([]); // …but nobody hears about it before the disk flush
    flushes[0]?.resolve();
    await Promise.all(results);
    expect(settled).toEqual([10, 20, 30]);
  });

  it('two batches may wait for the disk; a third collects until the older flush ends, then commits as one', async () => {
    const batches: number[][] = [];
    const { flushes, durable } = controlledFlush();
    const commit = new GroupCommit<number, number>((jobs) => {
      batches.push(jobs);
      return jobs.map((value) => ({ ok: true, value }));
    }, durable);
    const first = commit.submit(1);
    await nextTick();
    const second = [2, 3].map((n) => commit.submit(n));
    await nextTick();
    expect(batches).toEqual([[1], [2, 3]]); // the second commits while the first one's flush runs
    const third = [4, 5, 6].map((n) => commit.submit(n));
    await nextTick();
    await nextTick();
    expect(batches).toHaveLength(2); // two batches already wait for the disk: 4, 5 and 6 only collect
    flushes[0]?.resolve();
    await first;
    await nextTick();
    expect(batches).toEqual([[1], [2, 3], [4, 5, 6]]);
    flushes[1]?.resolve();
    flushes[2]?.resolve();
    await expect(Promise.all([...second, ...third])).resolves.toEqual([2, 3, 4, 5, 6]);
  });

  it('rejects every job of a batch whose flush failed, and keeps per-job failures apart', async () => {
    const { flushes, durable } = controlledFlush();
    const commit = new GroupCommit<number, number>(
      (jobs) =>
        jobs.map((job) => (job < 0 ? { ok: false, error: new Error('bad job') } : { ok: true, value: job })),
      durable,
    );
    const good = commit.submit(1);
    const bad = commit.submit(-1);
    await nextTick();
    flushes[0]?.reject(new Error('EIO'));
    await expect(good).rejects.toThrow('EIO');
    await expect(bad).rejects.toThrow('EIO');
  });

  it('drain() commits what is queued and waits for its flush', async () => {
    const { flushes, durable } = controlledFlush();
    const commit = new GroupCommit<number, number>(
      (jobs) => jobs.map((value) => ({ ok: true, value })),
      durable,
    );
    const job = commit.submit(7);
    const drained = commit.drain();
    expect(flushes).toHaveLength(1);
    flushes[0]?.resolve();
    await drained;
    await expect(job).resolves.toBe(7);
  });
});

describe('WalSync', () => {
  it('flushes the real WAL of a store; every acknowledged insert is readable after reopening', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const path = join(dir.path, 'relay.sqlite');
    const store = SqliteStore.open(path);
    const envelopes = Array.from({ length: 50 }, () => envelopeFrom());
    await Promise.all(envelopes.map((envelope) => insertIfNew(store, envelope, ['log'])));
    expect(existsSync(`${path}-wal`)).toBe(true);
    await store.close();
    const reopened = SqliteStore.open(path);
    cleanups.push(() => reopened.close());
    expect(await reopened.countEvents()).toBe(50);
  });

  it('concurrent callers all resolve, each with a flush started after its call', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const store = SqliteStore.open(join(dir.path, 'relay.sqlite')); // creates the -wal file
    cleanups.push(() => store.close());
    const sync = new WalSync(join(dir.path, 'relay.sqlite-wal'));
    cleanups.push(() => sync.close());
    await expect(Promise.all(Array.from({ length: 20 }, () => sync.sync()))).resolves.toHaveLength(20);
  });

  it('once a flush fails, every later one fails too, with what to do', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const sync = new WalSync(join(dir.path, 'missing.sqlite-wal'));
    await expect(sync.sync()).rejects.toBeInstanceOf(WalSyncError);
    await expect(sync.sync()).rejects.toThrow(/Check the disk .* then restart the relay/);
  });
});
