// A DATA_DIR whose SQLite store holds `count` events, for the start-up bench (cli-startup.mjs):
// 100 signed channel.follow notifications go through a real relay (so the schema, the
// subscription row and the delivery rows are what the relay writes), then SQL copies them, each
// copy with a fresh seq, message id and delivery ids. Built once and reused while its count matches.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCH_SECRET, signedFollow } from './sign.mjs';
import { startTarget } from './target-process.mjs';

const require = createRequire(import.meta.url);
const SEEDS = 100;
/** A delivery's id is its event's seq × 64 + its position (src/store/sqlite/schema.ts). */
const DELIVERIES_PER_EVENT = 64;

async function seed(cli, dataDir) {
  const relay = await startTarget(cli, {
    args: ['serve'],
    env: { DATA_DIR: dataDir, EVENTSUB_SECRET: BENCH_SECRET, LOG_LEVEL: 'warn' },
    probePath: '/healthz',
  });
  try {
    for (let i = 0; i < SEEDS; i++) {
      const { body, headers } = signedFollow();
      const response = await fetch(`${relay.url}/callback`, { method: 'POST', headers, body });
      if (response.status !== 204) throw new Error(`seeding the store: HTTP ${response.status}`);
    }
  } finally {
    await relay.stop();
  }
}

/** Copies the seeded events (and their deliveries) until the store holds `count`. */
function multiply(file, count) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  try {
    const copies = count / SEEDS - 1;
    const uuid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
    db.transaction(() => {
      // Every seeded delivery counts as delivered (the log sink's are, within milliseconds).
      db.exec(
        `UPDATE deliveries SET status = 'delivered', lease_until = NULL, claim_token = NULL,
           delivered_at = COALESCE(delivered_at, next_attempt_at, 0), attempts = MAX(attempts, 1)`,
      );
      db.prepare(
        `WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
         INSERT INTO events (seq, id, message_type, type, version, twitch_timestamp, retry, subscription_id, event_json, received_at)
         SELECT e.seq + k.n * ?, ${uuid}, e.message_type, e.type, e.version, e.twitch_timestamp, e.retry,
                e.subscription_id, e.event_json, e.received_at
         FROM k, events e WHERE e.seq <= ? ORDER BY k.n, e.seq`,
      ).run(copies, SEEDS, SEEDS);
      db.prepare(
        `WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
         INSERT INTO deliveries (id, event_seq, sink, status, attempts, next_attempt_at, lease_until, claim_token,
                                 last_error, started_at, delivered_at)
         SELECT d.id + k.n * ? * ${DELIVERIES_PER_EVENT}, d.event_seq + k.n * ?, d.sink, d.status, d.attempts,
                d.next_attempt_at, NULL, NULL, d.last_error, d.started_at, d.delivered_at
         FROM k, deliveries d WHERE d.event_seq <= ? ORDER BY k.n, d.id`,
      ).run(copies, SEEDS, SEEDS, SEEDS);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return db.prepare('SELECT COUNT(*) FROM events').pluck().get();
  } finally {
    db.close();
  }
}

/** The DATA_DIR at `dataDir` with a store of `count` events (a multiple of 100), built when missing. */
export async function buildStore(dataDir, count, cli) {
  const marker = join(dataDir, 'bench-events');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(count)) return dataDir;
  rmSync(dataDir, { recursive: true, force: true });
  process.stderr.write(`building a store of ${count.toLocaleString('en-US')} events in ${dataDir} …\n`);
  await seed(cli, dataDir);
  const stored = multiply(join(dataDir, 'eventsub-relay.sqlite'), count);
  if (stored !== count) throw new Error(`the store holds ${stored} events, not ${count}`);
  writeFileSync(marker, String(count));
  return dataDir;
}
