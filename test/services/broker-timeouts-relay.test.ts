import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { startSinksRelay } from '../support/sinks-relay.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FAST_RETRIES = { schedule: Array(80).fill(0.25), jitter: 0 };

describe('broker timeouts in a running relay', () => {
  it('Redis and NATS hang (connections open, nothing answers): attempts time out and are retried; all delivered once they answer', async () => {
    const suffix = randomBytes(5).toString('hex');
    const redisProxy = await startTcpProxy(6379);
    const natsProxy = await startTcpProxy(4222);
    cleanups.push(
      () => redisProxy.close(),
      () => natsProxy.close(),
    );
    const streamKey = `eventsub-timeouts-${suffix}`;
    const names = { stream: `EVENTSUB_TIMEOUTS_${suffix}`, subjectPrefix: `eventsub-timeouts-${suffix}` };
    const redis = new Redis('redis://127.0.0.1:6379');
    cleanups.push(
      () => redis.quit(),
      () => redis.del(streamKey),
    );
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    cleanups.push(() => nc.close());
    const jsm = await nc.jetstreamManager();
    cleanups.push(() => jsm.streams.delete(names.stream).catch(() => undefined));

    const { postEvent, deliveryOf } = await startSinksRelay(
      [
        {
          name: 'stream',
          kind: 'redis-stream',
          url: `redis://127.0.0.1:${redisProxy.port}`,
          stream: streamKey,
          timeoutMs: 400,
          retry: FAST_RETRIES,
        },
        {
          name: 'bus',
          kind: 'nats',
          servers: `nats://127.0.0.1:${natsProxy.port}`,
          ...names,
          createStream: true,
          timeoutMs: 400,
          retry: FAST_RETRIES,
        },
      ],
      cleanups,
    );
    const delivered = async (ids: string[]) =>
      (await Promise.all(ids.flatMap((id) => [deliveryOf(id, 'stream'), deliveryOf(id, 'bus')]))).every(
        (d) => d.status === 'delivered',
      );

    const before: string[] = [];
    for (let i = 0; i < 5; i++) before.push(await postEvent());
    await waitFor(() => delivered(before), 15_000, 'both sinks delivering before the hang');

    redisProxy.stall();
    natsProxy.stall();
    const during: string[] = [];
    for (let i = 0; i < 10; i++) during.push(await postEvent()); // still acknowledged at once
    const timedOut = async (sink: string, pattern: RegExp) =>
      (await Promise.all(during.map((id) => deliveryOf(id, sink)))).every((d) =>
        d.errors.some((error) => error !== undefined && pattern.test(error)),
      );
    await waitFor(
      () => timedOut('stream', /^redis XADD \S+ timed out after 400 ms/),
      15_000,
      'a timed-out XADD for every event',
    );
    await waitFor(
      () => timedOut('bus', /^NATS publish to \S+ timed out after 400 ms/),
      15_000,
      'a timed-out JetStream publish for every event',
    );
    expect(await delivered(during)).toBe(false);

    redisProxy.resume();
    natsProxy.resume();
    const all = [...before, ...during];
    await waitFor(() => delivered(all), 30_000, 'every delivery recorded after the brokers answer again');

    // JetStream drops the late copies of timed-out publishes (same Nats-Msg-Id): exactly one each.
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(all.length);
    // Redis runs the timed-out XADDs it received once the hang ends, so an id may appear more than
    // once — at most once per timed-out attempt — and consumers skip ids they have seen.
    const entries = await redis.xrange(streamKey, '-', '+');
    const ids = entries.map(([, fields]) => fields[1]!);
    expect([...new Set(ids)].sort()).toEqual([...all].sort());
    const timeouts = (await Promise.all(during.map((id) => deliveryOf(id, 'stream')))).flatMap((d) =>
      d.errors.filter((error) => error !== undefined),
    );
    expect(ids.length - all.length).toBeLessThanOrEqual(timeouts.length);
  });
});
