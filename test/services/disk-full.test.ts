import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import { resend, sendBurst, sendUntilRefused, type BurstResult } from '../support/burst.js';
import { adminQuery, PG_ADMIN_URL } from '../support/pg-database.js';
import { DEFAULT_STORE } from '../support/process-store.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { mountTmpfs, type ScratchMount } from '../support/scratch-mounts.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'disk-full-secret-0123456789';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayOn(env: Record<string, string | undefined>): Promise<RelayProcess> {
  const relay = await startRelayProcess({ EVENTSUB_SECRET: SECRET, LOG_LEVEL: 'warn', ...env });
  cleanups.push(async () => {
    if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
    await relay.exited;
  });
  return relay;
}

async function readiness(relay: RelayProcess): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${relay.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/**
 * The same story on either store: events flow, the disk fills mid-burst, every answer is 204 or
 * 503 (never another 5xx), /readyz turns 503 while writes fail, the disk is freed, /readyz is 200
 * again without any event having to arrive first, Twitch's re-sends are stored, and every event
 * ever acknowledged is in the store exactly once.
 */
async function fillAndRecover(relay: RelayProcess, disk: ScratchMount): Promise<Set<string>> {
  const before = await sendBurst(relay.url, SECRET, 200);
  expect(new Set(before.statuses)).toEqual(new Set([204]));
  expect((await readiness(relay)).status).toBe(200);

  disk.fill();
  // Events still fit in space the store had claimed before (a WAL truncated by its checkpoint, the
  // last partly filled pages): every one of those is acknowledged and must be kept. Then, refusals.
  const during: BurstResult = await sendUntilRefused(relay.url, SECRET, { consecutive: 20 });
  expect([...new Set(during.statuses)].filter((status) => status !== 204 && status !== 503)).toEqual([]);
  expect(during.statuses.slice(-20)).toEqual(Array(20).fill(503));
  const full = await readiness(relay);
  expect(full.status).toBe(503);
  expect(full.body).toEqual({
    status: 'unavailable',
    error: 'store_not_writable',
    message: expect.stringMatching(/(full|space).*check DATA_DIR \/ STORE_URL/i),
  });
  // /healthz is liveness only: the process is fine.
  expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);

  disk.free();
  // Readiness recovers on its own (a load balancer that stopped sending would never send the write):
  // a few seconds after the last failure, /readyz tries a write of its own.
  await waitFor(async () => (await readiness(relay)).status === 200, 15_000, '/readyz to recover');
  expect(new Set(await resend(relay.url, SECRET, during.refused))).toEqual(new Set([204]));
  const after = await sendBurst(relay.url, SECRET, 20);
  expect(new Set(after.statuses)).toEqual(new Set([204]));
  return new Set([...before.acked, ...during.acked, ...during.refused.keys(), ...after.acked]);
}

async function expectAllStoredOnce(storeUrl: string, acked: Set<string>): Promise<void> {
  const store = await openStore(storeUrl);
  try {
    expect(await store.countEvents()).toBe(acked.size);
    const missing: string[] = [];
    for (const id of acked) if (!(await store.getEvent(id))) missing.push(id);
    expect(missing).toEqual([]);
  } finally {
    await store.close();
  }
}

describe('a full disk: 503 and not ready while writes fail, ready again once they succeed, nothing acknowledged lost', () => {
  it('SQLite with DATA_DIR on a full tmpfs', async () => {
    const disk = mountTmpfs(16);
    cleanups.push(() => disk.unmount());
    const dataDir = join(disk.path, 'data');
    const relay = await relayOn({ ...DEFAULT_STORE, DATA_DIR: dataDir });
    const acked = await fillAndRecover(relay, disk);

    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    await expectAllStoredOnce(`sqlite:${join(dataDir, 'eventsub-relay.sqlite')}`, acked);
  });

  it('PostgreSQL with its database in a tablespace on a full tmpfs', async () => {
    const disk = mountTmpfs(24, 'postgres');
    cleanups.push(() => disk.unmount());
    const name = `relay_full_${process.pid}_${Date.now()}`;
    await adminQuery(`CREATE TABLESPACE ${name} LOCATION '${disk.path}'`);
    cleanups.push(() => adminQuery(`DROP TABLESPACE IF EXISTS ${name}`));
    await adminQuery(`CREATE DATABASE ${name} TABLESPACE ${name}`);
    cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;

    // (The tablespace folder must hold nothing but PostgreSQL's files: DATA_DIR is elsewhere.)
    const dataDir = tempDir();
    cleanups.push(dataDir.cleanup);
    const relay = await relayOn({ DATA_DIR: dataDir.path, STORE_URL: url.toString() });
    const acked = await fillAndRecover(relay, disk);

    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    await expectAllStoredOnce(url.toString(), acked);
  });
});
