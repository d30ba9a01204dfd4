import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from './config-file.js';
import type { CountingConsumer } from './counting-consumer.js';
import { renderSite, selfSignedCert, SITE_NAME, startNginx } from './nginx-fixture.js';
import { freePort, startRelayProcess, type RelayProcess } from './relay-process.js';
import type { SignedRequest } from './sign.js';
import { tempDir } from './temp-dir.js';

export const REPLICA_SECRET = 'replicas-nginx-secret';

/** One `eventsub-relay serve` process of several sharing a PostgreSQL database. */
export interface Replica {
  name: string;
  process: RelayProcess;
  port: number;
  /** Message ids this replica stored (read from its own debug log: "notification received", stored). */
  stored: Set<string>;
}

/**
 * Starts replica `name` on `dbUrl`. Its http sink is called "consumer" like every replica's (so they
 * share the deliveries) but points at `/<name>` on the consumer, which shows who delivered what.
 */
export async function startReplica(
  name: string,
  dbUrl: string,
  consumer: CountingConsumer,
  cleanups: (() => unknown)[],
): Promise<Replica> {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const sinks = [
    {
      name: 'consumer',
      kind: 'http',
      url: consumer.url(`/${name}`),
      secret: TEST_WEBHOOK_SECRET,
      concurrency: 16,
    },
  ];
  const port = await freePort();
  const started = await startRelayProcess({
    EVENTSUB_SECRET: REPLICA_SECRET,
    DATA_DIR: dir.path,
    STORE_URL: dbUrl,
    CONFIG_FILE: writeSinksConfig(sinks, cleanups as (() => void)[]),
    PORT: String(port),
    LOG_LEVEL: 'debug',
  });
  cleanups.push(async () => {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
    await started.exited;
  });
  const stored = new Set<string>();
  let partial = '';
  // Parsed as it arrives (nothing is stored before it answered /healthz, so no line is missed).
  const scan = (line: string) => {
    if (!line.includes('notification received')) return;
    const entry = JSON.parse(line) as { messageId?: string; outcome?: string };
    if (entry.outcome === 'stored' && entry.messageId) stored.add(entry.messageId);
  };
  started.child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(scan);
  });
  return { name, process: started, port, stored };
}

/** POSTs straight to one replica's /callback; resolves with the status, or undefined if unreachable. */
export async function postToReplica(replica: Replica, signed: SignedRequest): Promise<number | undefined> {
  const res = await fetch(`http://127.0.0.1:${replica.port}/callback`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  }).catch(() => undefined);
  return res?.status;
}

/** The shipped nginx site, TLS and all, in front of these replicas; `post` goes through it over HTTPS. */
export interface NginxFront {
  site: string;
  /** POSTs through nginx from source address 127.0.0.<2 + source % sources>; undefined = no answer. */
  post(signed: SignedRequest, source: number): Promise<number | undefined>;
}

/**
 * Renders nginx/eventsub.conf as the deploy tests do, with its one upstream `server` line turned into
 * one line per replica (the only change). Requests come from `sources` different loopback addresses,
 * as Twitch's come from several hosts: the shipped flood guard limits per address.
 */
export async function startNginxInFront(
  replicas: readonly Replica[],
  cleanups: (() => unknown)[],
  sources = 16,
): Promise<NginxFront> {
  const dir = tempDir('replicas-nginx-');
  cleanups.push(dir.cleanup);
  const certDir = join(dir.path, 'cert');
  const { cert } = selfSignedCert(certDir);
  const ports = { http: await freePort(), https: await freePort(), upstream: replicas[0]!.port };
  const site = renderSite(
    'eventsub.conf',
    ports,
    { certDir, webroot: join(dir.path, 'www') },
    { upstreams: replicas.map((r) => r.port) },
  );
  const nginx = await startNginx(join(dir.path, 'nginx'), site);
  cleanups.push(() => nginx.stop());

  const ca = readFileSync(cert);
  const agents = Array.from(
    { length: sources },
    (_, i) =>
      new Agent({
        keepAlive: true,
        maxSockets: 8,
        ca,
        servername: SITE_NAME,
        localAddress: `127.0.0.${2 + i}`,
      }),
  );
  cleanups.push(() => agents.forEach((agent) => agent.destroy()));
  return {
    site,
    post: (signed, source) =>
      new Promise((resolve) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: ports.https,
            path: '/callback',
            method: 'POST',
            agent: agents[source % sources],
            headers: { ...signed.headers, Host: SITE_NAME, 'Content-Length': Buffer.byteLength(signed.body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
            res.on('error', () => resolve(undefined));
          },
        );
        req.on('error', () => resolve(undefined));
        req.end(signed.body);
      }),
  };
}
