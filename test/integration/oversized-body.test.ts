import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { followNotification, signedRequest } from '../support/sign.js';
import Database from 'better-sqlite3';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { rawPost } from '../support/raw-post.js';
import { tempDir } from '../support/temp-dir.js';
import { createRelayServer } from '../../src/server/relay-server.js';
import { createReceiver } from '../../src/receiver/receiver.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { insertIfNew } from '../support/store-writes.js';

const MIB = 1024 * 1024;
const ROUNDS = 5;

/** A correctly signed notification padded to `size` bytes: only its size is wrong. */
function signedOfSize(size: number) {
  const payload = followNotification();
  const signed = signedRequest(TEST_SECRET, payload);
  const padding = size - Buffer.byteLength(signed.body) - ',"padding":""'.length;
  (payload.event as Record<string, unknown>).padding = 'x'.repeat(padding);
  const resigned = signedRequest(TEST_SECRET, payload, { messageId: signed.messageId });
  expect(Buffer.byteLength(resigned.body)).toBe(size);
  return resigned;
}

function expectTooLarge(answer: { status: number; headers: http.IncomingHttpHeaders; text: string }) {
  expect(answer.status).toBe(413);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(answer.text)).toEqual({
    error: 'payload_too_large',
    message: expect.stringMatching(/MAX_BODY_BYTES \(1048576\)/),
  });
}

describe('413 reaches the client even while it is still writing a large body (default 1 MiB limit)', () => {
  // A real process, as in production: client and relay do not share an event loop, so the client
  // really is still writing when the 413 is sent (in one process the race rarely shows).
  const dir = tempDir();
  let relay: RelayProcess;
  let events: Database.Database;
  const stored = (ids: string[]) =>
    ids.filter((id) => events.prepare('SELECT 1 FROM events WHERE id = ?').get(id) !== undefined);
  beforeAll(async () => {
    relay = await startRelayProcess({ DATA_DIR: dir.path, EVENTSUB_SECRET: TEST_SECRET });
    events = new Database(join(dir.path, 'eventsub-relay.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    events.close();
    relay.child.kill('SIGTERM');
    await relay.exited;
    dir.cleanup();
  });

  describe.each([
    ['keep-alive', true],
    ['Connection: close', false],
  ])('client connection %s', (_label, keepAlive) => {
    // Several rounds each: before the fix, some of them failed with EPIPE / ECONNRESET.
    it.each([2, 5])('%i MiB with Content-Length → 413 JSON, nothing stored', async (mib) => {
      const ids: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const signed = signedOfSize(mib * MIB);
        ids.push(signed.messageId);
        const answer = await rawPost(`${relay.url}/callback`, Buffer.from(signed.body), {
          headers: signed.headers,
          keepAlive,
        });
        expectTooLarge(answer);
      }
      expect(stored(ids)).toEqual([]);
    });

    it.each([2, 5])('%i MiB chunked (no Content-Length) → 413 JSON, nothing stored', async (mib) => {
      const ids: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const signed = signedOfSize(mib * MIB);
        ids.push(signed.messageId);
        const bytes = Buffer.from(signed.body);
        const chunks = Array.from({ length: mib * 16 }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
        const answer = await rawPost(`${relay.url}/callback`, chunks, {
          headers: signed.headers,
          keepAlive,
        });
        expectTooLarge(answer);
      }
      expect(stored(ids)).toEqual([]);
    });
  });

  it('the keep-alive connection still works after the refused body was discarded', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const statusOf = (body: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(`${relay.url}/callback`, { method: 'POST', agent, headers });
        req.on('error', reject);
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.end(body);
      });
    const big = signedOfSize(2 * MIB);
    expect(await statusOf(big.body, big.headers)).toBe(413);
    const small = signedRequest(TEST_SECRET, followNotification());
    expect(await statusOf(small.body, small.headers)).toBe(204);
    expect(stored([big.messageId, small.messageId])).toEqual([small.messageId]);
    agent.destroy();
  });
});

describe('the discard after a 413 is bounded', () => {
  const dir = tempDir();
  let store: SqliteStore;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    store = SqliteStore.open(join(dir.path, 'relay.sqlite'));
    server = createRelayServer({
      receive: createReceiver({
        secrets: () => [TEST_SECRET],
        intake: { accept: async (envelope) => insertIfNew(store, envelope, []) },
      }),
      maxBodyBytes: 1024,
      trustProxy: 'loopback',
      logger: createLogger('silent'),
      metrics: createMetrics(),
      checkReady: () => store.checkWritable(),
      discardLimits: { maxBytes: 256 * 1024, maxMs: 500 },
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    dir.cleanup();
  });

  it('a client that keeps sending is cut off long before it is done', async () => {
    const total = 256 * MIB;
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { 'Transfer-Encoding': 'chunked' },
    });
    let cut = false;
    const failed = new Promise<string>((resolve) =>
      req.on('error', (e: NodeJS.ErrnoException) => {
        cut = true;
        resolve(e.code ?? '');
      }),
    );
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 'z');
    // Honour backpressure: write only as fast as the server reads.
    for (; written < total && !cut; written += chunk.length) {
      if (!req.write(chunk)) await Promise.race([once(req, 'drain'), failed]);
    }
    expect(['ECONNRESET', 'EPIPE']).toContain(await failed);
    expect(written).toBeLessThan(total / 4);
    expect(await store.countEvents()).toBe(0);
  });

  it('a keep-alive client that stops sending half-way gets its 413, then the connection is cut', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Length': '100000' } });
    const [socket] = (await once(req, 'socket')) as [import('node:net').Socket];
    const closed = once(socket, 'close');
    req.write(Buffer.alloc(50_000, 'h'));
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.statusCode).toBe(413);
    res.resume();
    await closed; // the rest of the body never came: the relay closed the connection
    expect(await store.countEvents()).toBe(0);
    agent.destroy();
  });

  it('a Connection: close client that stops sending half-way is cut off without reading on', async () => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'Content-Length': '100000' } });
    let answered = false;
    req.on('response', () => (answered = true));
    const errored = new Promise<NodeJS.ErrnoException>((resolve) => req.on('error', resolve));
    req.write(Buffer.alloc(50_000, 'h'));
    // The relay reads the rest before answering such a client; it never comes, so it gives up.
    expect((await errored).code).toBe('ECONNRESET');
    expect(answered).toBe(false);
    expect(await store.countEvents()).toBe(0);
  });
});
