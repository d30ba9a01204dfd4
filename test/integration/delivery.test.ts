import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage } from 'node:http';
import { startConsumer, type StartedConsumer } from '../../examples/consumer/consumer.mjs';
import type { Logger } from '../../src/observability/logger.js';
import type { DeliveryStatus } from '../../src/store/store.js';
import { FAST_RETRY, TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { fixture, followNotification, postSigned } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function consumer(options: Parameters<typeof startConsumer>[0] = { secret: TEST_WEBHOOK_SECRET }) {
  const started = await startConsumer(options);
  cleanups.push(() => started.close());
  return started;
}

async function relayWithSinks(
  sinks: unknown[],
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<Relay> {
  const relay = await startTestRelay(
    { CONFIG_FILE: writeSinksConfig(sinks, cleanups as (() => void)[]), ...env },
    logger ? { logger } : {},
  );
  cleanups.push(() => relay.close());
  return relay;
}

const httpSink = (name: string, target: { url: string }, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'http',
  url: target.url,
  secret: TEST_WEBHOOK_SECRET,
  retry: FAST_RETRY,
  ...extra,
});

async function send(relay: Relay, payload: unknown = followNotification(), messageType = 'notification') {
  const { status, messageId } = await postSigned(relay.url, TEST_SECRET, payload, messageType);
  expect(status).toBe(204);
  return messageId;
}

/** Resolves once the store shows every listed event's delivery to `sink` in `status`. */
async function waitForStatus(relay: Relay, ids: readonly string[], sink: string, status: DeliveryStatus) {
  await waitFor(
    async () => {
      for (const id of ids) {
        const delivery = (await relay.store.getEvent(id))?.deliveries.find((d) => d.sink === sink);
        if (delivery?.status !== status) return false;
      }
      return true;
    },
    20_000,
    `${ids.length} deliveries to ${sink} ${status}`,
  );
}

/**
 * Exactly once: every id answered 2xx by the consumer one time, and nothing else. Call it after the
 * store shows the deliveries delivered: a delivered row is never sent again, so the count is final.
 */
function expectAcknowledgedOnce(target: StartedConsumer, ids: readonly string[]) {
  expect(target.acknowledged).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
}

describe('http sink (Standard Webhooks)', () => {
  it('forwards every notification and revocation; the consumer verifies each signature', async () => {
    const target = await consumer();
    const relay = await relayWithSinks([httpSink('consumer', target)]);
    const payload = fixture('notification.stream.online.v1.json');
    const ids = [await send(relay, payload), await send(relay, fixture('revocation.json'), 'revocation')];
    await waitForStatus(relay, ids, 'consumer', 'delivered');
    expect(target.rejected).toBe(0);
    expectAcknowledgedOnce(target, ids);
    const byId = new Map(target.received.map((e) => [e.id, e]));
    expect(byId.get(ids[0])).toMatchObject({
      id: ids[0],
      messageType: 'notification',
      type: 'stream.online',
      version: '1',
      event: (payload as { event: unknown }).event,
      subscription: (payload as { subscription: unknown }).subscription,
      retry: 0,
    });
    expect(byId.get(ids[1])).toMatchObject({
      id: ids[1],
      messageType: 'revocation',
      type: 'channel.follow',
      event: null,
    });
  });

  it('a consumer that is down for a while gets everything once it is up, each event exactly once', async () => {
    const target = await consumer();
    const url = target.url;
    await target.close(); // down: connection refused
    const relay = await relayWithSinks([
      { ...httpSink('consumer', target), url, retry: { schedule: Array(10).fill(0.2), jitter: 0 } },
    ]);
    const ids = await Promise.all(Array.from({ length: 10 }, () => send(relay)));
    await waitFor(async () => (await relay.store.getEvent(ids[0]!))!.deliveries[0]!.attempts >= 1);
    const back = await consumer({ secret: TEST_WEBHOOK_SECRET, port: Number(new URL(url).port) });
    await waitForStatus(relay, ids, 'consumer', 'delivered');
    expectAcknowledgedOnce(back, ids);
    expect(back.deliveries).toHaveLength(10); // no failed re-send either: the consumer saw each once
  });

  it('500, 500, then 200: retried at the scheduled times, each attempt recorded, delivered once', async () => {
    const logs = captureLogs();
    let calls = 0;
    const target = await consumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (++calls <= 2 ? 500 : undefined),
    });
    const relay = await relayWithSinks([httpSink('consumer', target)], {}, logs.logger);
    const id = await send(relay);
    await waitForStatus(relay, [id], 'consumer', 'delivered');
    const { attempts } = (await relay.store.getEvent(id))!;
    expect(attempts.map((a) => a.error ?? 'ok')).toEqual(['HTTP 500', 'HTTP 500', 'ok']);
    // Each retry was scheduled exactly one 0.1 s step (jitter 0) after the failure, and none ran early.
    const scheduled = logs.lines
      .filter((l) => /^delivery to \S+ failed \(.*\); will retry$/.test(l.msg) && l.messageId === id)
      .map((l) => Date.parse(l.nextAttemptAt as string));
    expect(scheduled).toEqual([attempts[0]!, attempts[1]!].map((a) => a.finishedAt.getTime() + 100));
    expect(attempts[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(scheduled[0]!);
    expect(attempts[2]!.startedAt.getTime()).toBeGreaterThanOrEqual(scheduled[1]!);
    expectAcknowledgedOnce(target, [id]);
  });

  it('after the last step the delivery is dead and logged at error; replay starts a fresh schedule', async () => {
    const logs = captureLogs();
    let failuresLeft = 5; // the 4 attempts of the schedule, then the first attempt after the replay
    const target = await consumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (failuresLeft-- > 0 ? 500 : undefined),
    });
    const relay = await relayWithSinks([httpSink('consumer', target)], {}, logs.logger);
    const id = await send(relay);
    await waitForStatus(relay, [id], 'consumer', 'dead');
    // The lane logs once the store's write has resolved, a moment after the row reads dead.
    await waitFor(() => logs.lines.some((line) => line.level === LEVEL.error && line.messageId === id));
    expect((await relay.store.getEvent(id))!.deliveries[0]!.attempts).toBe(4); // first try + 3 retries
    expect((await relay.store.listDead({})).map((d) => d.eventId)).toEqual([id]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: LEVEL.error,
        sink: 'consumer',
        messageId: id,
        attempts: 4,
        msg: expect.stringContaining(`delivery dead after 4 attempts; replay it with`),
      }),
    );

    expect(await relay.store.requeue({ ids: [id] })).toBe(1);
    // The lane polls for replayed work (another process, the CLI, may have queued it). The first
    // attempt after the replay fails too: with a fresh schedule that is a retry, not dead again.
    await waitForStatus(relay, [id], 'consumer', 'delivered');
    const detail = (await relay.store.getEvent(id))!;
    expect(detail.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(detail.attempts.map((a) => [a.attempt, a.error ?? 'ok'])).toEqual([
      [1, 'HTTP 500'],
      [2, 'HTTP 500'],
      [3, 'HTTP 500'],
      [4, 'HTTP 500'],
      [5, 'HTTP 500'],
      [6, 'ok'],
    ]);
    expect(await relay.store.listDead({})).toEqual([]);
    expectAcknowledgedOnce(target, [id]);
  });

  it('410 Gone disables the sink and logs it at error; its deliveries stay pending, other sinks carry on', async () => {
    const logs = captureLogs();
    const gone = await consumer({ secret: TEST_WEBHOOK_SECRET, respond: () => 410 });
    const healthy = await consumer();
    const relay = await relayWithSinks(
      [httpSink('gone', gone), httpSink('healthy', healthy)],
      {},
      logs.logger,
    );
    const first = await send(relay);
    await waitFor(async () => (await relay.store.getEvent(first))!.attempts.some((a) => a.sink === 'gone'));
    const second = await send(relay);
    await waitForStatus(relay, [first, second], 'healthy', 'delivered');
    expectAcknowledgedOnce(healthy, [first, second]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: LEVEL.error,
        sink: 'gone',
        messageId: first,
        msg: expect.stringContaining('sink gone disabled: HTTP 410 Gone'),
      }),
    );
    // Disabled: the second event was never tried, and the first not again.
    expect(gone.deliveries.map((d) => d.id)).toEqual([first]);
    expect((await relay.store.getEvent(second))!.deliveries.find((d) => d.sink === 'gone')).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    expect((await relay.store.getEvent(first))!.deliveries.find((d) => d.sink === 'gone')).toMatchObject({
      status: 'pending',
    });
  });

  it('429 with Retry-After: the retry is scheduled when the consumer asked', async () => {
    const logs = captureLogs();
    let calls = 0;
    const target = await consumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (++calls === 1 ? 429 : undefined), // the example consumer sends Retry-After: 1
    });
    const relay = await relayWithSinks([httpSink('consumer', target)], {}, logs.logger);
    const id = await send(relay);
    await waitForStatus(relay, [id], 'consumer', 'delivered');
    const { attempts } = (await relay.store.getEvent(id))!;
    expect(attempts.map((a) => a.error ?? 'ok')).toEqual(['HTTP 429', 'ok']);
    const retry = logs.lines.find(
      (l) => /^delivery to \S+ failed \(.*\); will retry$/.test(l.msg) && l.messageId === id,
    );
    // 1 s as asked, not the schedule's 0.1 s step.
    expect(Date.parse(retry!.nextAttemptAt as string)).toBe(attempts[0]!.finishedAt.getTime() + 1000);
    expect(attempts[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(attempts[0]!.finishedAt.getTime() + 1000);
  });

  it('a failing sink does not slow another sink', async () => {
    const failing = await consumer({ secret: TEST_WEBHOOK_SECRET, respond: () => 500 });
    const fast = await consumer();
    const relay = await relayWithSinks([
      httpSink('failing', failing, { concurrency: 1, retry: { schedule: [60], jitter: 0 } }),
      httpSink('fast', fast, { concurrency: 4 }),
    ]);
    const ids = await Promise.all(Array.from({ length: 20 }, () => send(relay)));
    await waitForStatus(relay, ids, 'fast', 'delivered');
    expectAcknowledgedOnce(fast, ids);
  });

  it('a hanging sink (accepts the connection, never answers) does not slow another sink', async () => {
    const hung: IncomingMessage[] = [];
    const hanging = createServer((req) => void hung.push(req)); // never responds
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          hanging.closeAllConnections();
          hanging.close(() => resolve());
        }),
    );
    const fast = await consumer();
    const relay = await relayWithSinks([
      httpSink(
        'hanging',
        { url: `http://127.0.0.1:${(hanging.address() as { port: number }).port}/hook` },
        { timeoutMs: 45_000, concurrency: 2 },
      ),
      httpSink('fast', fast, { concurrency: 4 }),
    ]);
    const ids = await Promise.all(Array.from({ length: 20 }, () => send(relay)));
    await waitForStatus(relay, ids, 'fast', 'delivered');
    expectAcknowledgedOnce(fast, ids);
    // The hanging sink really is stuck on its first two requests (its concurrency), nothing recorded yet.
    await waitFor(() => hung.length === 2, 10_000, 'two requests at the hanging server');
    expect((await relay.store.getEvent(ids[0]!))!.attempts.filter((a) => a.sink === 'hanging')).toEqual([]);
  });

  it('filters route by type glob, message type and broadcaster', async () => {
    const channel = await consumer();
    const streams = await consumer();
    const revocations = await consumer();
    const relay = await relayWithSinks([
      httpSink('channel', channel, { filter: { types: ['channel.*'], messageTypes: ['notification'] } }),
      httpSink('streams', streams, { filter: { types: ['stream.*'], broadcasters: ['1337'] } }),
      httpSink('revocations', revocations, { filter: { messageTypes: ['revocation'] } }),
    ]);
    const follow = await send(relay, fixture('notification.channel.follow.v2.json'));
    const online = await send(relay, fixture('notification.stream.online.v1.json'));
    const otherOnline = fixture('notification.stream.online.v1.json') as {
      subscription: { condition: object };
    };
    otherOnline.subscription.condition = { broadcaster_user_id: '999' };
    const other = await send(relay, otherOnline);
    const revoked = await send(relay, fixture('revocation.json'), 'revocation');
    await waitForStatus(relay, [follow], 'channel', 'delivered');
    await waitForStatus(relay, [online], 'streams', 'delivered');
    await waitForStatus(relay, [revoked], 'revocations', 'delivered');
    expectAcknowledgedOnce(channel, [follow]);
    expectAcknowledgedOnce(streams, [online]);
    expectAcknowledgedOnce(revocations, [revoked]);
    expect((await relay.store.getEvent(other))!.deliveries).toEqual([]); // no sink admits it
  });
});
