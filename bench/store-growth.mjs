// Store growth: inserts N events (one delivery each) into a fresh SQLite store the way the relay
// does (concurrent insertIfNew calls, group commit, synchronous=FULL) and prints the insert rate
// and RSS at each checkpoint. Run as a child of run.mjs so its RSS is its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';
import { signedFollow } from './sign.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
const checkpoint = Math.max(10_000, total / 10);
const concurrency = 200;
const dir = mkdtempSync(join(tmpdir(), 'relay-growth-'));
const store = SqliteStore.open(join(dir, 'growth.sqlite'));
const template = JSON.parse(signedFollow().body);

const rows = [];
let inserted = 0;
let windowStart = performance.now();
const rssMiB = () => process.memoryUsage().rss / 1024 / 1024;
rows.push({ events: 0, insertsPerSecond: NaN, rssMiB: rssMiB() });

while (inserted < total) {
  const batch = [];
  for (let i = 0; i < concurrency && inserted + i < total; i++) {
    const n = inserted + i;
    batch.push(
      store.insertIfNew(
        {
          id: `growth-${n}`,
          messageType: 'notification',
          type: 'channel.follow',
          version: '2',
          timestamp: new Date().toISOString(),
          retry: 0,
          subscription: template.subscription,
          event: { ...template.event, user_id: String(n) },
          receivedAt: new Date().toISOString(),
        },
        ['forward'],
      ),
    );
  }
  await Promise.all(batch);
  inserted += batch.length;
  if (inserted % checkpoint === 0 || inserted === total) {
    const now = performance.now();
    rows.push({
      events: inserted,
      insertsPerSecond: checkpoint / ((now - windowStart) / 1000),
      rssMiB: rssMiB(),
    });
    windowStart = now;
  }
}
await store.close();
rmSync(dir, { recursive: true, force: true });
process.send?.(rows);
