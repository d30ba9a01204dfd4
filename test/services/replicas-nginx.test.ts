import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { createTempDatabase } from '../support/pg-database.js';
import { freePort, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { followNotification, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'replicas-nginx-secret';
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real nginx in front of the replicas, as docs/scale-out.md configures it. */
async function startNginx(upstreams: string[]): Promise<string> {
  const dir = tempDir('nginx-');
  cleanups.push(dir.cleanup);
  const port = await freePort();
  mkdirSync(join(dir.path, 'logs'));
  const servers = upstreams
    .map((u) => `server ${u.replace('http://', '')} max_fails=1 fail_timeout=5s;`)
    .join('\n');
  writeFileSync(
    join(dir.path, 'nginx.conf'),
    `worker_processes 1; pid ${dir.path}/nginx.pid; error_log ${dir.path}/logs/error.log;
     events { worker_connections 1024; }
     http {
       access_log off; client_body_temp_path ${dir.path}/body; proxy_temp_path ${dir.path}/proxy;
       upstream eventsub_relay { ${servers} keepalive 16; }
       server {
         listen 127.0.0.1:${port};
         location = /callback {
           proxy_pass http://eventsub_relay; proxy_http_version 1.1; proxy_set_header Connection "";
           proxy_next_upstream error timeout http_502 http_503 non_idempotent;
         }
       }
     }`,
  );
  const nginx = spawn('nginx', ['-p', dir.path, '-c', join(dir.path, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => nginx.once('exit', resolve));
  cleanups.push(async () => {
    nginx.kill('SIGTERM');
    await exited;
  });
  await waitFor(
    async () =>
      fetch(`http://127.0.0.1:${port}/callback`).then(
        () => true,
        () => false,
      ),
    10_000,
    'nginx',
  );
  return `http://127.0.0.1:${port}`;
}

describe('two replicas on one PostgreSQL database behind nginx', () => {
  it('2,000 events plus re-sends, kill -9 of one replica mid-run: every acknowledged event is delivered', async () => {
    const db = await createTempDatabase();
    cleanups.push(() => db.drop());
    const hits: string[] = [];
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: (envelope) => void hits.push(envelope.id as string),
    });
    cleanups.push(() => consumer.close());
    const configFile = writeSinksConfig(
      [{ name: 'consumer', kind: 'http', url: consumer.url, secret: TEST_WEBHOOK_SECRET, concurrency: 16 }],
      cleanups as (() => void)[],
    );
    const replica = async (): Promise<RelayProcess> => {
      const dir = tempDir();
      cleanups.push(dir.cleanup);
      const started = await startRelayProcess({
        EVENTSUB_SECRET: SECRET,
        DATA_DIR: dir.path,
        STORE_URL: db.url,
        CONFIG_FILE: configFile,
        LOG_LEVEL: 'warn',
      });
      cleanups.push(async () => {
        if (started.child.exitCode === null && started.child.signalCode === null)
          started.child.kill('SIGKILL');
        await started.exited;
      });
      return started;
    };
    const [a, b] = [await replica(), await replica()];
    const proxy = await startNginx([a.url, b.url]);

    const acknowledged = new Set<string>();
    const post = async (url: string, signed: ReturnType<typeof signedRequest>) => {
      const res = await fetch(`${url}/callback`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      }).catch(() => undefined);
      if (res && res.status >= 200 && res.status < 300) acknowledged.add(signed.messageId);
    };
    const requests = Array.from({ length: 2000 }, () => signedRequest(SECRET, followNotification()));
    for (let start = 0; start < requests.length; start += 100) {
      const chunk = requests.slice(start, start + 100);
      // Through nginx, and every one re-sent straight to a replica (the other one, for half of them).
      await Promise.all(
        chunk.flatMap((signed, i) => [post(proxy, signed), post(i % 2 ? a.url : b.url, signed)]),
      );
      if (start === 1000) a.child.kill('SIGKILL');
    }
    await a.exited;

    const store = await PostgresStore.open(db.url);
    cleanups.push(() => store.close());
    expect(acknowledged.size).toBe(2000); // nginx moved a's share to b
    expect(await store.countEvents()).toBe(2000);
    // Deliveries a had leased when it died come back after the 60 s lease.
    await waitFor(
      () => consumer.received.length >= 2000,
      100_000,
      'every acknowledged event at the consumer',
    );
    expect(new Set(consumer.received.map((e) => e.id as string))).toEqual(acknowledged);
    expect(consumer.received).toHaveLength(2000); // after the consumer's own dedup on webhook-id
    expect(hits.length - 2000).toBeLessThanOrEqual(16); // re-sent only what a had in flight
  }, 180_000);
});
