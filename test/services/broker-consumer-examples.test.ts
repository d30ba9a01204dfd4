import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { startNatsServer, startRedisServer } from '../support/brokers.js';
import { runExample, type ExampleProcess } from '../support/example-process.js';
import { startSinksRelay } from '../support/sinks-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function example(file: string, args: string[], env: Record<string, string>): ExampleProcess {
  const started = runExample(file, args, env);
  cleanups.push(() => started.stop());
  return started;
}

const secret = () => randomBytes(9).toString('hex');
const sorted = (ids: string[]) => [...ids].sort();

describe('examples/redis-consumer.mjs against the relay’s redis-stream sink', () => {
  it('reads the backlog, re-reads what it had not acknowledged before a crash, skips a duplicate entry, acks each once', async () => {
    const relayPassword = secret();
    const server = await startRedisServer({ password: relayPassword });
    cleanups.push(() => server.kill());
    const admin = new Redis({ port: server.port, host: '127.0.0.1', password: relayPassword });
    cleanups.push(() => admin.quit());
    // The consumer logs in as its own ACL user, credentials from REDIS_USERNAME / REDIS_PASSWORD.
    const readerPassword = secret();
    await admin.call('ACL', 'SETUSER', 'reader', 'on', `>${readerPassword}`, '~*', '+@all');
    const { postEvent } = await startSinksRelay(
      [
        {
          name: 'stream',
          kind: 'redis-stream',
          url: `redis://127.0.0.1:${server.port}`,
          password: relayPassword,
        },
      ],
      cleanups,
    );
    const url = `redis://127.0.0.1:${server.port}`;
    const env = { REDIS_USERNAME: 'reader', REDIS_PASSWORD: readerPassword };

    const backlog: string[] = [];
    for (let i = 0; i < 40; i++) backlog.push(await postEvent());
    await waitFor(async () => (await admin.xlen('eventsub')) === 40, 15_000, '40 entries in the stream');
    // What the relay does if it dies between XADD and recording it: the same event added again.
    const first = (await admin.xrange('eventsub', '-', '+', 'COUNT', 1))[0]![1];
    await admin.xadd('eventsub', '*', ...first);

    // Reads 15 entries of the backlog (the group starts at 0, not $), then "crashes" before acking.
    const crashed = example(
      'redis-consumer.mjs',
      [url, 'eventsub', 'bots', 'c1', '--exit-after-read', '15'],
      env,
    );
    expect(await crashed.exited).toBe(3);
    expect(crashed.printedIds()).toEqual([]);
    expect(((await admin.xpending('eventsub', 'bots')) as [number])[0]).toBe(15);

    const consumer = example('redis-consumer.mjs', [url, 'eventsub', 'bots', 'c1'], env);
    const live: string[] = [];
    for (let i = 0; i < 5; i++) live.push(await postEvent());
    const all = [...backlog, ...live];
    await waitFor(() => consumer.printedIds().length >= all.length, 15_000, 'every event printed');
    await waitFor(
      async () => ((await admin.xpending('eventsub', 'bots')) as [number])[0] === 0,
      10_000,
      'every entry acknowledged',
    );
    // Printed once each: the 15 it had read before the crash first (its pending list), in order.
    expect(consumer.printedIds().slice(0, 15)).toEqual(backlog.slice(0, 15));
    expect(sorted(consumer.printedIds())).toEqual(sorted(all));
    expect(consumer.stderr()).toContain(`skipped duplicate ${first[1]}`);
    const [group] = (await admin.xinfo('GROUPS', 'eventsub')) as unknown[][];
    const info = Object.fromEntries(group!.flatMap((v, i, a) => (i % 2 ? [] : [[v, a[i + 1]]])));
    expect(info).toMatchObject({ name: 'bots', pending: 0, 'entries-read': all.length + 1, lag: 0 });
  });
});

describe('examples/nats-consumer.mjs against the relay’s nats sink', () => {
  it('a durable consumer prints every event once, acks it, and resumes after its position on restart', async () => {
    const store = tempDir();
    cleanups.push(store.cleanup);
    const credentials = { user: 'bots', pass: secret() };
    const server = await startNatsServer({ storeDir: store.path, ...credentials });
    cleanups.push(() => server.kill());
    const url = `nats://127.0.0.1:${server.port}`;
    const { postEvent } = await startSinksRelay(
      [{ name: 'bus', kind: 'nats', servers: url, ...credentials, createStream: true }],
      cleanups,
    );
    const nc = await connect({ servers: url, ...credentials });
    cleanups.push(() => nc.close());
    const jsm = await nc.jetstreamManager();
    const env = { NATS_USER: credentials.user, NATS_PASS: credentials.pass };

    const backlog: string[] = [];
    for (let i = 0; i < 30; i++) backlog.push(await postEvent());
    await waitFor(
      async () => (await jsm.streams.info('EVENTSUB').catch(() => undefined))?.state.messages === 30,
      15_000,
      '30 messages in the stream',
    );
    const first = example('nats-consumer.mjs', [url, 'EVENTSUB', 'bots'], env);
    const live: string[] = [];
    for (let i = 0; i < 5; i++) live.push(await postEvent());
    await waitFor(() => first.printedIds().length >= 35, 15_000, 'every event printed');
    expect(first.printedIds()).toEqual([...backlog, ...live]);
    expect(first.stdout()).toContain(`eventsub.channel.follow ${backlog[0]}`);
    await waitFor(
      async () => {
        const info = await jsm.consumers.info('EVENTSUB', 'bots');
        return info.num_ack_pending === 0 && info.num_pending === 0;
      },
      10_000,
      'every message acknowledged',
    );
    await first.stop();

    // Restarted, it continues after its acknowledged position: only the new event is printed.
    const again = example('nats-consumer.mjs', [url, 'EVENTSUB', 'bots'], env);
    const next = await postEvent();
    await waitFor(() => again.printedIds().length >= 1, 15_000, 'the new event after the restart');
    expect(again.printedIds()).toEqual([next]);
  });
});
