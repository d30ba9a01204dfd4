import { afterEach, describe, expect, it } from '@jest/globals';
import { openStore } from '../../src/store/open-store.js';
import { resend, sendBurst } from '../support/burst.js';
import { adminQuery, createTempDatabase } from '../support/pg-database.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'terminate-backend-secret-01';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('PostgreSQL ends every connection of the relay, again and again, during a burst', () => {
  it('answers only 204 or 503, recovers by itself, and loses nothing it acknowledged', async () => {
    const db = await createTempDatabase();
    cleanups.push(() => db.drop());
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const relay: RelayProcess = await startRelayProcess({
      EVENTSUB_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      DATA_DIR: dir.path,
      STORE_URL: db.url,
    });
    cleanups.push(async () => {
      if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
      await relay.exited;
    });

    let terminated = 0;
    const terminateAll = async () => {
      const rows = await adminQuery<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [db.name],
      );
      terminated += rows.filter((row) => row.ended).length;
    };
    const burst = await sendBurst(relay.url, SECRET, 600, {
      during: (index) => (index > 0 && index % 20 === 0 ? terminateAll() : undefined),
    });

    expect(terminated).toBeGreaterThan(0);
    expect([...new Set(burst.statuses)].filter((status) => status !== 204 && status !== 503)).toEqual([]);
    // Some writes were in flight when their connection ended: those were refused, not acknowledged.
    expect(burst.refused.size).toBeGreaterThan(0);
    expect(burst.acked.size + burst.refused.size).toBe(600);

    // Nothing to restart: the pool reconnects, readiness comes back by itself (within a few seconds
    // of the last failed write), Twitch's re-sends are stored.
    await waitFor(
      async () => (await fetch(`${relay.url}/readyz`)).status === 200,
      15_000,
      '/readyz to recover',
    );
    expect(new Set(await resend(relay.url, SECRET, burst.refused))).toEqual(new Set([204]));
    expect(relay.child.exitCode).toBeNull();

    const store = await openStore(db.url);
    try {
      expect(await store.countEvents()).toBe(600);
      const missing: string[] = [];
      for (const id of [...burst.acked, ...burst.refused.keys()])
        if (!(await store.getEvent(id))) missing.push(id);
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
