// node bench/dashboard.mjs [--events 1000000] [--samples 30]   (npm run build first)
//
// How fast the dashboard's API answers on a big store: fills a SQLite store with --events events
// (one transaction, prepared statements; 1 % of them with a dead delivery), starts the relay on it
// and times the event list (first page, a page deep in the store, a type filter), the Live page's
// recent lines, event pages of random events, the dead list and the sinks. The figures are the
// relay's own (Server-Timing: the time inside the admin API), beside the round trip on loopback.
// Prints figures; never passes or fails.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';
import { loadRelayConfig } from '../dist/config/relay-config.js';
import { createLogger } from '../dist/observability/logger.js';
import { startRelay } from '../dist/relay/start-relay.js';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const EVENTS = option('events', 1_000_000);
const SAMPLES = option('samples', 30);
const TOKEN = 'bench-dashboard-token-0123456789abcdef';
const SUBSCRIPTION = JSON.stringify({
  id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4',
  type: 'channel.follow',
  version: '2',
  status: 'enabled',
  cost: 0,
  condition: { broadcaster_user_id: '1337', moderator_user_id: '1337' },
  transport: { method: 'webhook', callback: 'https://example.com/webhooks/callback' },
  created_at: '2019-11-16T10:11:12.634234626Z',
});

function fill(path) {
  // The store's own schema, then rows written directly: one transaction, prepared statements.
  SqliteStore.open(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const ids = [];
  const started = performance.now();
  db.transaction(() => {
    db.prepare('INSERT INTO subscriptions (id, json) VALUES (1, ?)').run(SUBSCRIPTION);
    const event = db.prepare(
      `INSERT INTO events (seq, id, message_type, type, version, twitch_timestamp, retry, subscription_id, event_json, received_at)
       VALUES (?, ?, 'notification', 'channel.follow', '2', ?, 0, 1, ?, ?)`,
    );
    const delivered = db.prepare(
      `INSERT INTO deliveries (id, event_seq, sink, status, attempts, started_at, delivered_at)
       VALUES (?, ?, 'bot', 'delivered', 1, ?, ?)`,
    );
    const dead = db.prepare(
      `INSERT INTO deliveries (id, event_seq, sink, status, attempts, last_error)
       VALUES (?, ?, 'bot', 'dead', 8, 'HTTP 503')`,
    );
    const t0 = Date.now() - EVENTS * 1000;
    for (let seq = 1; seq <= EVENTS; seq++) {
      const id = randomUUID();
      if (seq % 1000 === 0) ids.push(id);
      const at = t0 + seq * 1000;
      const json = `{"user_id":"${seq}","user_login":"user${seq}","user_name":"User${seq}","broadcaster_user_id":"1337","broadcaster_user_login":"cooler_user","broadcaster_user_name":"Cooler_User","followed_at":"${new Date(at).toISOString()}"}`;
      event.run(seq, id, new Date(at).toISOString(), json, at);
      if (seq % 100 === 0) dead.run(seq * 64, seq);
      else delivered.run(seq * 64, seq, at + 5, at + 20);
    }
    db.prepare("UPDATE meta SET value = ? WHERE key = 'seq_high_water'").run(EVENTS);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ids, seconds: (performance.now() - started) / 1000 };
}

async function time(url) {
  const started = performance.now();
  const response = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
  await response.arrayBuffer();
  const roundTrip = performance.now() - started;
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const server = Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? NaN);
  return { server, roundTrip };
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  const path = join(dir, 'eventsub-relay.sqlite');
  try {
    const { ids, seconds } = fill(path);
    console.log(
      `filled ${EVENTS.toLocaleString('en')} events in ${seconds.toFixed(1)} s (${(statSync(path).size / 1e6).toFixed(0)} MB)`,
    );
    const config = loadRelayConfig({
      DATA_DIR: dir,
      STORE_URL: `sqlite:${path}`,
      PORT: '0',
      EVENTSUB_SECRET: 'bench-secret-0123456789abcdef',
      DASHBOARD_TOKEN: TOKEN,
      RETENTION_DAYS: '0',
    });
    const startedAt = performance.now();
    const relay = await startRelay(config, createLogger('warn'));
    console.log(
      `relay started in ${((performance.now() - startedAt) / 1000).toFixed(1)} s (message-id index rebuilt)`,
    );
    const api = `${relay.url}/api`;
    const cases = [
      ['event list, first page (50)', () => `${api}/events?limit=50`],
      ['event list, page in the middle', () => `${api}/events?limit=50&before=${Math.floor(EVENTS / 2)}`],
      ['event list, type filter', () => `${api}/events?limit=50&type=channel.*`],
      ['Live: recent lines (100)', () => `${api}/events/recent?limit=100`],
      ['event page (random event)', () => `${api}/events/${ids[Math.floor(Math.random() * ids.length)]}`],
      ['dead deliveries (50)', () => `${api}/deliveries?sink=bot&status=dead&limit=50`],
      ['sinks', () => `${api}/sinks`],
    ];
    console.log(`\n${SAMPLES} requests each, one at a time; ms\n`);
    console.log('| answer | server median | server p95 | server max | round trip median |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, url] of cases) {
      await time(url()); // warm
      const runs = [];
      for (let i = 0; i < SAMPLES; i++) runs.push(await time(url()));
      const server = runs.map((r) => r.server);
      const trip = runs.map((r) => r.roundTrip);
      console.log(
        `| ${name} | ${quantile(server, 0.5).toFixed(1)} | ${quantile(server, 0.95).toFixed(1)} | ${Math.max(...server).toFixed(1)} | ${quantile(trip, 0.5).toFixed(1)} |`,
      );
    }
    await relay.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench could not finish: ${error.message}`);
  process.exitCode = 0;
});
