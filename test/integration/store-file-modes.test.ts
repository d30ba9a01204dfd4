import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { followNotification, signedRequest } from '../support/sign.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

// The SQLite files hold every event: like the secret and token files, only the relay's user may read them.
const SUFFIXES = ['', '-wal', '-shm'];
const modeOf = (path: string) => statSync(path).mode & 0o777;

let umask: number;
beforeAll(() => {
  umask = process.umask(0o022); // the usual default, under which files are created 0644
});
afterAll(() => {
  process.umask(umask);
});

describe('the SQLite store files are readable by the relay user only', () => {
  it('a new store: .sqlite, -wal and -shm are created 0600', async () => {
    const relay = await startTestRelay({ STORE_URL: '' });
    try {
      const signed = signedRequest(TEST_SECRET, followNotification());
      expect((await request(relay.url).post('/callback').set(signed.headers).send(signed.body)).status).toBe(
        204,
      );
      const path = join(relay.config.dataDir, 'eventsub-relay.sqlite');
      expect(relay.config.store.url).toBe(`sqlite:${path}`);
      for (const suffix of SUFFIXES) {
        expect(existsSync(path + suffix)).toBe(true);
        expect([suffix, modeOf(path + suffix).toString(8)]).toEqual([suffix, '600']);
      }
    } finally {
      await relay.close();
    }
  });

  it('an existing store with 0644 files is set to 0600 when it is opened', async () => {
    const dir = tempDir();
    const path = join(dir.path, 'old.sqlite');
    // A store made before this fix, still open in another process: its -wal and -shm exist too.
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const suffix of SUFFIXES) chmodSync(path + suffix, 0o644);
    try {
      const store = SqliteStore.open(path);
      await store.countEvents();
      for (const suffix of SUFFIXES) {
        expect([suffix, modeOf(path + suffix).toString(8)]).toEqual([suffix, '600']);
      }
      await store.close();
    } finally {
      old.close();
      dir.cleanup();
    }
  });
});
