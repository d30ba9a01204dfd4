import { afterEach, describe, expect, it } from '@jest/globals';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { envelopeFrom } from '../support/envelopes.js';
import { insertIfNew } from '../support/store-writes.js';
import { tempDir } from '../support/temp-dir.js';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';

/**
 * test/fixtures/store-v2.sqlite was written by the relay before the store was reworked (schema version 2:
 * UNIQUE message ids, AUTOINCREMENT, attempts rows for every success): three events — a follow
 * delivered to `consumer` and the inline `log`, a cheer dead at `consumer`, a revocation pending.
 */
const FIXTURE = new URL('../fixtures/store-v2.sqlite', import.meta.url).pathname;
const FOLLOW = '11111111-1111-4111-8111-111111111111';
const CHEER = '22222222-2222-4222-8222-222222222222';
const REVOCATION = '33333333-3333-4333-8333-333333333333';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openCopy(): { store: SqliteStore; path: string } {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const path = join(dir.path, 'relay.sqlite');
  copyFileSync(FIXTURE, path);
  const store = SqliteStore.open(path);
  cleanups.push(() => store.close());
  return { store, path };
}

describe('a store written by the previous schema', () => {
  it('opens, migrates to the current schema and keeps every event, delivery and attempt', async () => {
    const { store, path } = openCopy();
    expect(await store.countEvents()).toBe(3);

    const follow = await store.getEvent(FOLLOW);
    expect(follow?.envelope).toMatchObject({
      id: FOLLOW,
      type: 'channel.follow',
      messageType: 'notification',
    });
    expect(follow?.envelope.event).toMatchObject({ user_login: expect.any(String) });
    expect(follow?.deliveries.map((d) => [d.sink, d.status, d.attempts])).toEqual([
      ['consumer', 'delivered', 1],
      ['log', 'delivered', 1],
    ]);
    expect(follow?.attempts.map((a) => [a.sink, a.attempt, a.error ?? 'ok'])).toEqual([
      ['log', 1, 'ok'],
      ['consumer', 1, 'ok'],
    ]);

    const cheer = await store.getEvent(CHEER);
    expect(cheer?.deliveries.find((d) => d.sink === 'consumer')).toMatchObject({
      status: 'dead',
      lastError: 'HTTP 500',
    });
    expect(await store.listDead({})).toEqual([expect.objectContaining({ eventId: CHEER, sink: 'consumer' })]);

    const revocation = await store.getEvent(REVOCATION);
    expect(revocation?.envelope).toMatchObject({ messageType: 'revocation', event: null });
    const [pending] = await store.claimDue('consumer', new Date(), 10, 60_000);
    expect(pending?.envelope.id).toBe(REVOCATION);

    const db = new Database(path, { readonly: true });
    cleanups.push(() => db.close());
    // Every migration applied, the attempts' response column (4) included.
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('attempts')).toContain('response');
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).pluck().all();
    expect(indexes).toContain('events_received_at');
    expect(indexes.some((name) => String(name).startsWith('sqlite_autoindex_events'))).toBe(false);
  });

  it('still deduplicates the message ids it held, and numbers new events after them', async () => {
    const { store } = openCopy();
    expect(await insertIfNew(store, envelopeFrom(undefined, { id: FOLLOW }), ['consumer'])).toBe('duplicate');
    const result = await store.insertEvent(envelopeFrom(), [{ sink: 'consumer' }]);
    expect(result.outcome).toBe('stored');
    if (result.outcome === 'stored') expect(result.seq).toBeGreaterThan(3);
    expect(await store.countEvents()).toBe(4);
  });

  it('replays a migrated dead delivery and keeps its history', async () => {
    const { store } = openCopy();
    expect(await store.requeue({ ids: [CHEER], sink: 'consumer' })).toBe(1);
    const due = await store.claimDue('consumer', new Date(Date.now() + 1000), 10, 60_000);
    // The revocation's pending delivery is due too (older); the replayed one is there beside it.
    expect(due.map((claim) => claim.envelope.id).sort()).toEqual([CHEER, REVOCATION]);
    const claimed = due.find((claim) => claim.envelope.id === CHEER);
    const now = new Date();
    expect(await store.recordSuccess(claimed!, { startedAt: now, finishedAt: now })).toBe(true);
    const cheer = await store.getEvent(CHEER);
    expect(cheer?.attempts.filter((a) => a.sink === 'consumer').map((a) => a.error ?? 'ok')).toEqual([
      'HTTP 500',
      'ok',
    ]);
  });
});
