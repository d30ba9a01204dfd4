import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { startRedisServer } from '../support/brokers.js';
import { freePort } from '../support/relay-process.js';
import { startSinksRelay } from '../support/sinks-relay.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Retries every 250 ms for a while: the outage tests below last seconds, not the default hours. */
const FAST_RETRIES = { schedule: Array(80).fill(0.25), jitter: 0 };

const fileLines = (path: string) =>
  existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : [];

describe('broker sinks in a running relay', () => {
  it('Redis down while events arrive: all are acknowledged, then delivered once Redis is up; other sinks are not held up', async () => {
    const port = await freePort();
    const password = 'relay-redis-password-1';
    const { relay, dataDir, postEvent } = await startSinksRelay(
      [
        {
          name: 'stream',
          kind: 'redis-stream',
          url: `redis://127.0.0.1:${port}`,
          password,
          timeoutMs: 300,
          retry: FAST_RETRIES,
        },
        { name: 'file', kind: 'file', path: 'events.jsonl' },
      ],
      cleanups,
    );

    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await postEvent());
    const file = join(dataDir, 'events.jsonl');
    await waitFor(() => fileLines(file).length === 30, 15_000, 'the file sink, while Redis is down');

    const server = await startRedisServer({ port, password });
    cleanups.push(() => server.kill());
    const redis = new Redis({ port, host: '127.0.0.1', password });
    cleanups.push(() => redis.quit());
    await waitFor(async () => (await redis.xlen('eventsub')) >= 30, 20_000, '30 entries in the stream');
    const entries = await redis.xrange('eventsub', '-', '+');
    expect(entries.map(([, fields]) => fields[1]).sort()).toEqual([...ids].sort());
    expect(relay.output()).not.toContain(password);
  });

  it('NATS cut off mid-run (its TCP path dropped, then restored): every event is acknowledged and lands in JetStream once', async () => {
    const proxy = await startTcpProxy(4222);
    cleanups.push(() => proxy.close());
    const suffix = randomBytes(5).toString('hex');
    const names = { stream: `EVENTSUB_RELAY_${suffix}`, subjectPrefix: `eventsub-relay-${suffix}` };
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    cleanups.push(() => nc.close());
    const jsm = await nc.jetstreamManager();
    cleanups.push(() => jsm.streams.delete(names.stream).catch(() => undefined));
    const { dataDir, postEvent, deliveryOf } = await startSinksRelay(
      [
        {
          name: 'bus',
          kind: 'nats',
          servers: `nats://127.0.0.1:${proxy.port}`,
          ...names,
          createStream: true,
          timeoutMs: 300,
          retry: FAST_RETRIES,
        },
        { name: 'file', kind: 'file', path: 'events.jsonl' },
      ],
      cleanups,
    );
    const messages = async () => (await jsm.streams.info(names.stream)).state.messages;

    const before: string[] = [];
    for (let i = 0; i < 10; i++) before.push(await postEvent());
    await waitFor(async () => (await messages().catch(() => 0)) === 10, 15_000, '10 messages, NATS up');

    await proxy.drop();
    const during: string[] = [];
    for (let i = 0; i < 20; i++) during.push(await postEvent());
    const file = join(dataDir, 'events.jsonl');
    await waitFor(() => fileLines(file).length === 30, 15_000, 'the file sink, while NATS is cut off');
    // Each event of the outage has really been tried, and failed, on the NATS sink.
    await waitFor(
      async () =>
        (await Promise.all(during.map((id) => deliveryOf(id, 'bus')))).every((d) => d.errors.length > 0),
      15_000,
      'a failed NATS attempt for every event sent during the outage',
    );
    expect(await messages()).toBe(10);

    await proxy.restore();
    await waitFor(
      async () =>
        (await Promise.all([...before, ...during].map((id) => deliveryOf(id, 'bus')))).every(
          (d) => d.status === 'delivered',
        ),
      30_000,
      'every delivery recorded as delivered after NATS is back',
    );
    // Publishes nats.js buffered while cut off may reach the server too; Nats-Msg-Id makes them one.
    expect(await messages()).toBe(30);
    const consumer = await jsm.consumers.add(names.stream, { durable_name: 'check' });
    const read = await nc.jetstream().consumers.get(names.stream, consumer.name);
    const seen: string[] = [];
    while (seen.length < 30) {
      for await (const message of await read.fetch({ max_messages: 30, expires: 2_000 })) {
        seen.push(message.headers!.get('Nats-Msg-Id'));
        message.ack();
      }
    }
    expect(seen.sort()).toEqual([...before, ...during].sort());
  });
});
