import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import request from 'supertest';
import { followNotification, signedRequest } from '../support/sign.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';

// SQLite only: another connection holding the write lock is how the embedded store stops taking
// writes (a stuck writer, another process). The PostgreSQL store has its own contract tests.
type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;
let other: Database.Database;

beforeAll(async () => {
  relay = await startTestRelay();
  other = new Database(relay.config.store.url.slice('sqlite:'.length));
});
afterAll(async () => {
  if (other.inTransaction) other.exec('ROLLBACK');
  other.close();
  await relay.close();
});

describe('GET /readyz follows whether the store can take writes', () => {
  it('503 while another connection holds the write lock, 200 again once it is released', async () => {
    expect((await request(relay.url).get('/readyz')).status).toBe(200);

    other.exec('BEGIN IMMEDIATE');
    const locked = await request(relay.url).get('/readyz');
    expect(locked.status).toBe(503);
    expect(locked.headers['content-type']).toMatch(/^application\/json/);
    expect(locked.body).toEqual({
      status: 'unavailable',
      error: 'store_not_writable',
      message: expect.stringMatching(/database is locked.*DATA_DIR \/ STORE_URL/),
    });
    // Liveness is not readiness: the process itself is fine.
    expect((await request(relay.url).get('/healthz')).status).toBe(200);

    other.exec('ROLLBACK');
    const ready = await request(relay.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });

    // And the store really takes writes again.
    const signed = signedRequest(TEST_SECRET, followNotification());
    expect((await request(relay.url).post('/callback').set(signed.headers).send(signed.body)).status).toBe(
      204,
    );
    expect(await relay.store.getEvent(signed.messageId)).not.toBeNull();
  });
});
