import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisStreamSinkKind } from '../../src/sinks/redis-stream.js';
import { DeliveryError, type Sink } from '../../src/sinks/sink.js';
import type { Envelope } from '../../src/twitch/envelope.js';
import { capturedLogger, startRedisServer } from '../support/brokers.js';
import { envelopeFrom } from '../support/envelopes.js';
import { freePort } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SHARED_REDIS = 'redis://127.0.0.1:6379';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sink(options: Record<string, unknown>, log = capturedLogger()): Promise<Sink> {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const created = await redisStreamSinkKind.create(redisStreamSinkKind.optionsSchema.parse(options), {
    name: 'stream',
    logger: log.logger,
    dataDir: dir.path,
  });
  cleanups.push(() => created.close?.());
  return created;
}

function client(url = SHARED_REDIS): Redis {
  const redis = new Redis(url);
  cleanups.push(() => redis.quit());
  return redis;
}

const signal = () => new AbortController().signal;

describe('redis-stream sink against a real Redis', () => {
  it('XADDs id, type and the envelope; a consumer group reads every event exactly once', async () => {
    const stream = `eventsub-test-${randomUUID()}`;
    const redis = client();
    cleanups.push(() => redis.del(stream));
    await redis.xgroup('CREATE', stream, 'bots', '$', 'MKSTREAM');
    const target = await sink({ url: SHARED_REDIS, stream });
    const sent: Envelope[] = Array.from({ length: 100 }, (_, i) =>
      envelopeFrom(i % 2 ? 'notification.stream.online.v1.json' : undefined),
    );
    await Promise.all(sent.map((envelope) => target.deliver(envelope, signal())));

    // Two consumers in one group share the stream: each entry goes to exactly one of them.
    const read: { consumer: string; fields: Record<string, string> }[] = [];
    for (let round = 0; round < 20 && read.length < sent.length; round++) {
      for (const consumer of ['a', 'b']) {
        const reply = (await redis.xreadgroup(
          'GROUP',
          'bots',
          consumer,
          'COUNT',
          17,
          'STREAMS',
          stream,
          '>',
        )) as [string, [string, string[]][]][] | null;
        for (const [entryId, flat] of reply?.[0]?.[1] ?? []) {
          const fields = Object.fromEntries(flat.flatMap((_, i) => (i % 2 ? [] : [[flat[i], flat[i + 1]]])));
          read.push({ consumer, fields });
          await redis.xack(stream, 'bots', entryId);
        }
      }
    }
    expect(read.map((r) => r.fields.id).sort()).toEqual(sent.map((e) => e.id).sort());
    expect(new Set(read.map((r) => r.consumer))).toEqual(new Set(['a', 'b']));
    for (const { fields } of read) {
      const original = sent.find((e) => e.id === fields.id)!;
      expect(fields.type).toBe(original.type);
      expect(JSON.parse(fields.envelope!)).toEqual(original);
    }
    expect(await redis.xpending(stream, 'bots')).toEqual([0, null, null, null]);
  });

  it('maxLen trims the stream approximately (MAXLEN ~)', async () => {
    const stream = `eventsub-test-${randomUUID()}`;
    const redis = client();
    cleanups.push(() => redis.del(stream));
    const target = await sink({ url: SHARED_REDIS, stream, maxLen: 100 });
    for (let i = 0; i < 500; i++) await target.deliver(envelopeFrom(), signal());
    const length = await redis.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(500);
  });

  it('broker down: deliver() rejects (retryable) without leaking the password; once up, it delivers', async () => {
    const password = 'redis-pass-' + randomUUID();
    const port = await freePort();
    const url = `redis://:${password}@127.0.0.1:${port}`;
    const log = capturedLogger();
    const target = await sink({ url, stream: 'eventsub', timeoutMs: 300 }, log);

    const whileDown = envelopeFrom();
    const failure = await target.deliver(whileDown, signal()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as Error).message).toMatch(
      /Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? is not reachable/,
    );

    let server = await startRedisServer({ port, password });
    cleanups.push(() => server.kill());
    const delivered: string[] = [];
    // The worker's retry, compressed: offer the same envelope until the sink reconnects.
    await waitFor(
      async () =>
        target.deliver(whileDown, signal()).then(
          () => true,
          () => false,
        ),
      15_000,
      'reconnect',
    );
    delivered.push(whileDown.id);

    await server.kill(); // down again, mid-run
    const second = envelopeFrom();
    await expect(target.deliver(second, signal())).rejects.toBeInstanceOf(DeliveryError);
    server = await startRedisServer({ port, password });
    cleanups.push(() => server.kill());
    await waitFor(
      async () =>
        target.deliver(second, signal()).then(
          () => true,
          () => false,
        ),
      15_000,
      'reconnect',
    );
    delivered.push(second.id);

    const entries = await client(url).xrange('eventsub', '-', '+');
    expect(entries.map(([, fields]) => fields[1])).toEqual([second.id]); // in-memory server: only since restart
    expect(log.text()).toContain('***@127.0.0.1');
    expect(log.text()).not.toContain(password);
    expect(delivered).toEqual([whileDown.id, second.id]);
  });

  it('rejects options that are not a Redis URL with a message that says what to write', () => {
    const parsed = redisStreamSinkKind.optionsSchema.safeParse({ url: 'http://127.0.0.1:6379' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/redis:\/\/ or rediss:\/\/ URL/);
    expect(redisStreamSinkKind.secretFields).toEqual(expect.arrayContaining(['password', 'url']));
  });
});
