import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { writeSinksConfig } from '../support/config-file.js';
import { startRedisServer } from '../support/brokers.js';
import { freePort, startRelayProcess } from '../support/relay-process.js';
import { followNotification, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'broker-relay-secret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('broker sinks in a running relay', () => {
  it('Redis down while events arrive: all are acknowledged, then delivered once Redis is up; other sinks are not held up', async () => {
    const port = await freePort();
    const password = 'relay-redis-password-1';
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const configFile = writeSinksConfig(
      [
        {
          name: 'stream',
          kind: 'redis-stream',
          url: `redis://127.0.0.1:${port}`,
          password,
          timeoutMs: 300,
          retry: { schedule: Array(40).fill(0.25), jitter: 0 },
        },
        { name: 'file', kind: 'file', path: `${dir.path}/events.jsonl` },
      ],
      cleanups as (() => void)[],
    );
    const relay = await startRelayProcess({
      EVENTSUB_SECRET: SECRET,
      DATA_DIR: dir.path,
      CONFIG_FILE: configFile,
    });
    cleanups.push(async () => {
      relay.child.kill('SIGTERM');
      await relay.exited;
    });

    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const signed = signedRequest(SECRET, followNotification());
      const res = await fetch(`${relay.url}/callback`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      });
      expect(res.status).toBe(204);
      ids.push(signed.messageId);
    }
    const fileLines = () =>
      existsSync(`${dir.path}/events.jsonl`)
        ? readFileSync(`${dir.path}/events.jsonl`, 'utf8').trim().split('\n')
        : [];
    await waitFor(() => fileLines().length === 30, 15_000, 'the file sink, while Redis is down');

    const server = await startRedisServer({ port, password });
    cleanups.push(() => server.kill());
    const redis = new Redis({ port, host: '127.0.0.1', password });
    cleanups.push(() => redis.quit());
    await waitFor(async () => (await redis.xlen('eventsub')) >= 30, 20_000, '30 entries in the stream');
    const entries = await redis.xrange('eventsub', '-', '+');
    expect(entries.map(([, fields]) => fields[1]).sort()).toEqual([...ids].sort());
    expect(relay.output()).not.toContain(password);
  });
});
