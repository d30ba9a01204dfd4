import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, MAX_RETRY_AFTER_MS } from '../../src/delivery/retry-schedule.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { httpSinkKind } from '../../src/sinks/http.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { envelopeFrom } from '../support/envelopes.js';
import { captureLogs } from '../support/log-capture.js';
import { createTempDatabase } from '../support/pg-database.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { insertIfNew } from '../support/store-writes.js';

/**
 * The delivery worker on an injected clock: the retry schedule's real steps (5 s, 30 s, …, with
 * jitter) are asserted exactly, and "waiting" for a step is moving the clock, not sleeping.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh store: SQLite, or PostgreSQL when the services tier runs this suite (RELAY_TEST_STORE). */
async function freshStore(): Promise<Store> {
  if (process.env.RELAY_TEST_STORE === 'postgres') {
    const db = await createTempDatabase();
    const store = await PostgresStore.open(db.url);
    cleanups.push(() => db.drop());
    cleanups.push(() => store.close());
    return store;
  }
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const store = SqliteStore.open(join(dir.path, 'relay.sqlite'));
  cleanups.push(() => store.close());
  return store;
}

const T0 = Date.parse('2026-11-23T10:00:00.000Z');

/** A worker with one http sink to `url`, the default schedule and ±20 % jitter, on a clock the test moves. */
async function workerFor(url: string, random = () => 1) {
  const store = await freshStore();
  const clock = { now: T0 };
  const logs = captureLogs();
  const sink = await httpSinkKind.create(
    { url, secret: TEST_WEBHOOK_SECRET, timeoutMs: 5_000, headers: {} },
    { name: 'consumer', logger: logs.logger, dataDir: '/nonexistent' },
  );
  const worker = new DeliveryWorker({
    store,
    sinks: [
      {
        sink,
        retry: { scheduleSeconds: DEFAULT_RETRY_SCHEDULE_SECONDS, jitter: 0.2 },
        concurrency: 1,
        attemptTimeoutMs: 6_000,
      },
    ],
    logger: logs.logger,
    metrics: createMetrics(),
    now: () => clock.now,
    random,
  });
  cleanups.push(() => worker.stop(1000));
  const envelope = envelopeFrom(undefined, { receivedAt: new Date(T0).toISOString() });
  await insertIfNew(store, envelope, ['consumer']);
  const attempts = async () => (await store.getEvent(envelope.id))!.attempts;
  const delivery = async () => (await store.getEvent(envelope.id))!.deliveries[0]!;
  /** Moves the clock and wakes the lane, as its timer would when the time comes. */
  const advanceTo = (ms: number) => {
    clock.now = ms;
    worker.notify(['consumer']);
  };
  return { store, worker, envelope, attempts, delivery, advanceTo, logs };
}

describe('retry schedule (injected clock)', () => {
  it('500, 500, then 204: attempts at exactly 5 s × 1.2 and then 30 s × 1.2, delivered once', async () => {
    let calls = 0;
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (++calls <= 2 ? 500 : undefined),
    });
    cleanups.push(() => consumer.close());
    const run = await workerFor(consumer.url, () => 1); // random 1 → the +20 % edge of the jitter
    run.worker.start();

    await waitFor(async () => (await run.attempts()).length === 1);
    expect(await run.delivery()).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect((await run.delivery()).nextAttemptAt!.getTime()).toBe(T0 + 6_000);

    run.advanceTo(T0 + 6_000);
    await waitFor(async () => (await run.attempts()).length === 2);
    expect((await run.delivery()).nextAttemptAt!.getTime()).toBe(T0 + 6_000 + 36_000);

    run.advanceTo(T0 + 42_000);
    await waitFor(async () => (await run.delivery()).status === 'delivered');
    expect((await run.attempts()).map((a) => [a.startedAt.getTime(), a.error ?? 'ok'])).toEqual([
      [T0, 'HTTP 500'],
      [T0 + 6_000, 'HTTP 500'],
      [T0 + 42_000, 'ok'],
    ]);
    expect(consumer.acknowledged).toEqual({ [run.envelope.id]: 1 });
  });

  it('jitter stays inside ±20 %: the −20 % edge schedules the first retry at 4 s', async () => {
    const consumer = await startConsumer({ secret: TEST_WEBHOOK_SECRET, respond: () => 500 });
    cleanups.push(() => consumer.close());
    const run = await workerFor(consumer.url, () => 0);
    run.worker.start();
    await waitFor(async () => (await run.attempts()).length === 1);
    expect((await run.delivery()).nextAttemptAt!.getTime()).toBe(T0 + 4_000);
  });

  it.each([
    ['120', 120_000],
    ['86400', MAX_RETRY_AFTER_MS], // a day: capped at 1 h
  ])('503 with Retry-After: %s s → the retry is due %i ms later', async (retryAfter, expectedMs) => {
    let calls = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        ++calls === 1 ? res.writeHead(503, { 'Retry-After': retryAfter }).end() : res.writeHead(204).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const run = await workerFor(`http://127.0.0.1:${(server.address() as { port: number }).port}/hook`);
    run.worker.start();
    await waitFor(async () => (await run.attempts()).length === 1);
    expect((await run.delivery()).nextAttemptAt!.getTime()).toBe(T0 + expectedMs);

    run.advanceTo(T0 + expectedMs);
    await waitFor(async () => (await run.delivery()).status === 'delivered');
    expect((await run.attempts())[1]!.startedAt.getTime()).toBe(T0 + expectedMs);
  });
});
