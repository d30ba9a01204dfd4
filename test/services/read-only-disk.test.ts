import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import { resend, sendBurst } from '../support/burst.js';
import { DEFAULT_STORE } from '../support/process-store.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { mountExt4Image } from '../support/scratch-mounts.js';

const SECRET = 'read-only-disk-secret-0123';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayOn(dataDir: string): Promise<RelayProcess> {
  const relay = await startRelayProcess({
    ...DEFAULT_STORE,
    EVENTSUB_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
  });
  cleanups.push(async () => {
    if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
    await relay.exited;
  });
  return relay;
}

describe('the store directory turns read-only under a running relay (ext4 errors=remount-ro)', () => {
  it('answers 503 and is not ready from then on; after fsck and a restart every acknowledged event is there', async () => {
    const disk = mountExt4Image(64);
    cleanups.push(() => disk.unmount());
    const dataDir = join(disk.path, 'data');
    const relay = await relayOn(dataDir);

    // The disk fails in the middle of a burst.
    const burst = await sendBurst(relay.url, SECRET, 300, {
      during: (index) => {
        if (index === 150) disk.breakDisk();
      },
    });
    expect(disk.readOnly()).toBe(true);
    expect([...new Set(burst.statuses)].filter((status) => status !== 204 && status !== 503)).toEqual([]);
    expect(burst.acked.size).toBeGreaterThanOrEqual(100);
    expect(burst.statuses.slice(-10)).toEqual(Array(10).fill(503));
    const ready = await fetch(`${relay.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'unavailable',
      error: 'store_not_writable',
      message: expect.stringMatching(/check DATA_DIR \/ STORE_URL/),
    });
    // Still refused a while later: a read-only disk does not heal by itself.
    const later = await sendBurst(relay.url, SECRET, 5);
    expect(later.statuses).toEqual(Array(5).fill(503));
    expect((await fetch(`${relay.url}/readyz`)).status).toBe(503);

    // What an operator does: stop the relay, repair the file system, start again.
    relay.child.kill('SIGTERM');
    await relay.exited;
    disk.repair();
    expect(disk.readOnly()).toBe(false);
    const restarted = await relayOn(dataDir);
    expect((await fetch(`${restarted.url}/readyz`)).status).toBe(200);
    const refused = new Map([...burst.refused, ...later.refused]);
    expect(new Set(await resend(restarted.url, SECRET, refused))).toEqual(new Set([204]));
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);

    const store = await openStore(`sqlite:${join(dataDir, 'eventsub-relay.sqlite')}`);
    try {
      const everything = [...burst.acked, ...refused.keys()];
      expect(await store.countEvents()).toBe(everything.length);
      const missing: string[] = [];
      for (const id of everything) if (!(await store.getEvent(id))) missing.push(id);
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
