import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { followNotification, signedRequest } from '../support/sign.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { insertIfNew } from '../support/store-writes.js';
import { createRelayServer } from '../../src/server/relay-server.js';
import { createReceiver } from '../../src/receiver/receiver.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

// The relay's real server, receiver and SQLite store, with deadlines short enough for a test
// (the defaults are 10 s for headers and 30 s for the whole request).
const dir = tempDir();
const logs = captureLogs('debug');
const metrics = createMetrics();
let store: SqliteStore;
let server: http.Server;
let base: string;

beforeAll(async () => {
  store = SqliteStore.open(join(dir.path, 'relay.sqlite'));
  server = createRelayServer({
    receive: createReceiver({
      secrets: () => [TEST_SECRET],
      intake: { accept: async (envelope) => insertIfNew(store, envelope, []) },
    }),
    maxBodyBytes: 1024 * 1024,
    trustProxy: 'loopback',
    logger: logs.logger,
    metrics,
    checkReady: () => store.checkWritable(),
    timeouts: { headersMs: 600, requestMs: 600, checkIntervalMs: 100 },
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  dir.cleanup();
});

/** Sends the headers and the first `sent` bytes of a signed notification's body, then nothing more. */
function stallMidBody(sent: number): {
  messageId: string;
  answer: Promise<string>;
  end: () => void;
  reset: () => void;
} {
  const signed = signedRequest(TEST_SECRET, followNotification());
  const { port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  const head = Object.entries(signed.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(
    `POST /callback HTTP/1.1\r\nHost: relay\r\n${head}Content-Length: ${Buffer.byteLength(signed.body)}\r\n\r\n` +
      signed.body.slice(0, sent),
  );
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.on('error', () => undefined);
  return {
    messageId: signed.messageId,
    answer,
    end: () => socket.destroy(),
    reset: () => socket.resetAndDestroy(),
  };
}

async function callbackOutcomes(): Promise<Record<string, number>> {
  const metric = await metrics.callbackRequests.get();
  return Object.fromEntries(metric.values.map((value) => [String(value.labels.outcome), value.value]));
}

describe('a client that stalls mid-body', () => {
  it('gets 408 JSON, is logged once at info, and is not counted as a store failure', async () => {
    const before = logs.lines.length;
    const stalled = stallMidBody(40);
    const answer = await stalled.answer;
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(body)).toEqual({ error: 'request_timeout', message: expect.stringMatching(/in time/) });

    // Let the aborted request's handler finish before reading what it logged and counted.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = logs.lines.slice(before);
    expect(lines).toEqual([
      expect.objectContaining({ level: LEVEL.info, status: 408, reason: 'request_timeout' }),
    ]);
    expect(logs.text()).not.toContain('store_unavailable');
    const outcomes = await callbackOutcomes();
    expect(outcomes.store_unavailable).toBeUndefined();
    expect(outcomes.request_timeout).toBe(1);
    expect(await store.getEvent(stalled.messageId)).toBeNull();
    expect((await request(base).get('/readyz')).status).toBe(200);
  });

  it.each([
    ['closes its side (FIN)', 'end', 1],
    ['resets the connection (RST)', 'reset', 2],
  ] as const)(
    'a client that hangs up mid-body, %s: one info line, counted as client_closed, nothing stored',
    async (_label, how, count) => {
      const before = logs.lines.length;
      const gone = stallMidBody(40);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the headers have reached the handler
      gone[how]();
      await waitFor(() => logs.lines.length > before, 2000, 'the hang-up to be logged');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(logs.lines.slice(before)).toEqual([
        expect.objectContaining({ level: LEVEL.info, reason: 'client_closed' }),
      ]);
      expect(logs.text()).not.toContain('store_unavailable');
      const outcomes = await callbackOutcomes();
      expect(outcomes.store_unavailable).toBeUndefined();
      expect(outcomes.client_closed).toBe(count);
      expect(await store.getEvent(gone.messageId)).toBeNull();
    },
  );

  it('the server still stores the next, complete request', async () => {
    const signed = signedRequest(TEST_SECRET, followNotification());
    const res = await request(base).post('/callback').set(signed.headers).send(signed.body);
    expect(res.status).toBe(204);
    expect(await store.getEvent(signed.messageId)).not.toBeNull();
  });
});
