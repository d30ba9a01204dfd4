// node bench/stream.mjs [--quick]: live stream (GET /stream/<name>) figures on this machine, printed
// as markdown, never pass/fail. Needs `npm run build` first; the PostgreSQL part needs the local
// server (127.0.0.1:5432, user postgres) and is skipped with a note when it is not there.
//   1. latency from the 204 to the event arriving at each of 100 SSE clients (p50/p99), paced load
//   2. events/s fanned out to 100 clients (all 100 have every event)
//   3. relay RSS with 1,000 idle clients connected
//   4. two replicas on PostgreSQL: a client on A, events posted to B (polling by seq)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { memoryMiB } from './process-stats.mjs';
import { BENCH_SECRET, signedFollow } from './sign.mjs';
import { startTarget } from './target-process.mjs';

const quick = process.argv.includes('--quick');
const CLIENTS = 100;
const PACED = quick ? 200 : 1000;
const PACED_RATE = 100; // events/s
const BURST = quick ? 1000 : 5000;
const IDLE = 1000;
const TOKEN = 'bench-stream-token-0123456789abcdef';
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (value) => `${value.toFixed(1)} ms`;

/** One SSE client that records when each message id arrived. */
function connect(url, onEvent = () => {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/stream/bench?token=${TOKEN}`, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        pending += chunk;
        let end;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) onEvent(JSON.parse(data.slice(6)).id, performance.now());
        }
      });
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function post(url) {
  const { headers, body } = signedFollow();
  const res = await fetch(`${url}/callback`, { method: 'POST', headers, body });
  if (res.status !== 204) throw new Error(`relay answered ${res.status}`);
  return { id: headers['twitch-eventsub-message-id'], ackedAt: performance.now() };
}

async function startRelay(dir, extraEnv = {}) {
  const config = join(dir, 'eventsub-relay.yml');
  writeFileSync(config, `streams:\n  - name: bench\n    token: ${TOKEN}\n    maxClients: 5000\n`);
  return startTarget(CLI, {
    args: ['serve'],
    env: {
      DATA_DIR: dir,
      EVENTSUB_SECRET: BENCH_SECRET,
      CONFIG_FILE: config,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    probePath: '/healthz',
  });
}

async function waitUntil(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** 1 and 2: one relay (SQLite), 100 clients. */
async function fanOut() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const relay = await startRelay(dir);
  try {
    const arrivals = new Map(); // id → arrival times
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, () =>
        connect(relay.url, (id, at) => (arrivals.get(id) ?? arrivals.set(id, []).get(id)).push(at)),
      ),
    );
    const acked = [];
    for (let n = 0; n < PACED; n++) {
      const started = performance.now();
      acked.push(await post(relay.url));
      const wait = 1000 / PACED_RATE - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await waitUntil(() => acked.every((a) => arrivals.get(a.id)?.length === CLIENTS), 30_000);
    const latencies = acked
      .flatMap((a) => arrivals.get(a.id).map((at) => at - a.ackedAt))
      .sort((x, y) => x - y);

    arrivals.clear();
    const burstStart = performance.now();
    const ids = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next++ < BURST) ids.push((await post(relay.url)).id);
      }),
    );
    await waitUntil(
      () => ids.length === BURST && ids.every((id) => arrivals.get(id)?.length === CLIENTS),
      120_000,
    );
    const burstSeconds = (performance.now() - burstStart) / 1000;
    for (const client of clients) client.close();
    return { latencies, burstSeconds };
  } finally {
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 3: RSS of the relay process with 1,000 idle stream clients. */
async function idleMemory() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const relay = await startRelay(dir);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = memoryMiB(relay.child.pid).rss;
    const clients = [];
    for (let n = 0; n < IDLE; n += 50)
      clients.push(...(await Promise.all(Array.from({ length: 50 }, () => connect(relay.url)))));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = memoryMiB(relay.child.pid).rss;
    for (const client of clients) client.close();
    return { before, after };
  } finally {
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 4: replicas A and B on one PostgreSQL database; the client is on A, events go to B. */
async function replicas() {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `PostgreSQL not reachable (${error.message})` };
  }
  const name = `bench_stream_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const dirs = [mkdtempSync(join(tmpdir(), 'bench-a-')), mkdtempSync(join(tmpdir(), 'bench-b-'))];
  const storeUrl = `postgres://postgres@127.0.0.1:5432/${name}`;
  const [a, b] = [
    await startRelay(dirs[0], { STORE_URL: storeUrl }),
    await startRelay(dirs[1], { STORE_URL: storeUrl }),
  ];
  try {
    const arrivals = new Map();
    const client = await connect(a.url, (id, at) => arrivals.set(id, at));
    const acked = [];
    for (let n = 0; n < (quick ? 100 : 300); n++) {
      acked.push(await post(b.url));
      await new Promise((resolve) => setTimeout(resolve, 1000 / 50));
    }
    await waitUntil(() => acked.every((x) => arrivals.has(x.id)), 30_000);
    client.close();
    return { latencies: acked.map((x) => arrivals.get(x.id) - x.ackedAt).sort((x, y) => x - y) };
  } finally {
    await a.stop();
    await b.stop();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const fan = await fanOut();
const idle = await idleMemory();
const rep = await replicas();
console.log(`## Live streams (${quick ? 'quick' : 'full'} run, ${new Date().toISOString().slice(0, 10)})\n`);
console.log('| figure | value |\n| --- | --- |');
console.log(
  `| 204 → arrival, ${CLIENTS} clients, ${PACED} events at ${PACED_RATE}/s, p50 | ${ms(percentile(fan.latencies, 50))} |`,
);
console.log(`| same, p99 | ${ms(percentile(fan.latencies, 99))} |`);
console.log(
  `| events/s fanned out to ${CLIENTS} clients (${BURST} events, 16 senders) | ${(BURST / fan.burstSeconds).toFixed(0)} (${((BURST * CLIENTS) / fan.burstSeconds).toFixed(0)} deliveries/s) |`,
);
console.log(
  `| relay RSS idle → with ${IDLE} idle clients | ${idle.before.toFixed(0)} MiB → ${idle.after.toFixed(0)} MiB |`,
);
if (rep.skipped) console.log(`| replicas on PostgreSQL | skipped: ${rep.skipped} |`);
else {
  console.log(
    `| replica B's 204 → arrival on replica A (STREAM_POLL_MS 100), p50 | ${ms(percentile(rep.latencies, 50))} |`,
  );
  console.log(`| same, p99 | ${ms(percentile(rep.latencies, 99))} |`);
}
