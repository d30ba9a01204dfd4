import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import { postSignedRequest, resend, sendBurst } from '../support/burst.js';
import { DEFAULT_STORE } from '../support/process-store.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { followNotification, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The SQLite store writes on a thread of its own (src/store/sqlite/writer-thread.ts): every
 * promise of the single-threaded store still holds for a real relay process.
 */

const SECRET = 'writer-thread-secret-0123456';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayIn(dataDir: string): Promise<RelayProcess> {
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

function dataDir(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

const storeFile = (dir: string) => join(dir, 'eventsub-relay.sqlite');

async function storedIds(dir: string, ids: Iterable<string>): Promise<{ count: number; missing: string[] }> {
  const store = await openStore(`sqlite:${storeFile(dir)}`);
  try {
    const missing: string[] = [];
    for (const id of ids) if (!(await store.getEvent(id))) missing.push(id);
    return { count: await store.countEvents(), missing };
  } finally {
    await store.close();
  }
}

describe('SQLite writes on the writer thread', () => {
  it('kill -9 in the middle of a burst loses nothing that was acknowledged', async () => {
    const dir = dataDir();
    const relay = await relayIn(dir);
    const burst = await sendBurst(relay.url, SECRET, 800, {
      concurrency: 48,
      during: (index) => {
        if (index === 500) relay.child.kill('SIGKILL');
      },
    });
    expect(await relay.exited).toBe('SIGKILL');
    // Answers before the kill were 204; after it, the connections failed (0): never another status.
    expect([...new Set(burst.statuses)].filter((status) => status !== 204 && status !== 0)).toEqual([]);
    expect(burst.acked.size).toBeGreaterThanOrEqual(400);

    const { count, missing } = await storedIds(dir, burst.acked);
    expect(missing).toEqual([]);
    // What was in flight may have been committed without its 204: stored, never acknowledged, and
    // Twitch's retry is then a duplicate. Never fewer than acknowledged.
    expect(count).toBeGreaterThanOrEqual(burst.acked.size);

    // Restarted, the relay dedups Twitch's re-sends of everything that was not acknowledged.
    const restarted = await relayIn(dir);
    expect(new Set(await resend(restarted.url, SECRET, burst.refused))).toEqual(new Set([204]));
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const after = await storedIds(dir, [...burst.acked, ...burst.refused.keys()]);
    expect(after.missing).toEqual([]);
    expect(after.count).toBe(burst.acked.size + burst.refused.size);
  }, 90_000);

  it('a writer that cannot commit answers 503, stores nothing, and the serving thread keeps answering meanwhile', async () => {
    const dir = dataDir();
    const relay = await relayIn(dir);
    const first = await sendBurst(relay.url, SECRET, 20);
    expect(new Set(first.statuses)).toEqual(new Set([204]));

    // Another process holds the file's write lock past the writer's busy timeout (5 s).
    const intruder = new Database(storeFile(dir));
    cleanups.push(() => intruder.open && intruder.close());
    intruder.exec('BEGIN IMMEDIATE');
    const blocked = signedRequest(SECRET, followNotification());
    let answered: number | undefined;
    const pending = postSignedRequest(relay.url, blocked).then((status) => (answered = status));
    // While that write waits for the lock on the writer thread, the serving thread answers.
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
    expect(answered).toBeUndefined();
    expect(await pending).toBe(503);
    const ready = await fetch(`${relay.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: string }).error).toBe('store_not_writable');
    intruder.exec('ROLLBACK');
    intruder.close();

    // Nothing of the refused event was stored; Twitch's retry of it is stored once.
    expect(await storedIds(dir, [blocked.messageId])).toEqual({ count: 20, missing: [blocked.messageId] });
    expect(await resend(relay.url, SECRET, new Map([[blocked.messageId, blocked]]))).toEqual([204]);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    expect(await storedIds(dir, [blocked.messageId])).toEqual({ count: 21, missing: [] });
  }, 60_000);
});
