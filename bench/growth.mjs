// Store growth through the relay as shipped: keeps posting distinct signed notifications to one
// relay process until it holds `total` events, and reads its insert rate and RSS at checkpoints.
// Flat is the goal: the millionth event should cost what the ten-thousandth did.
import { memoryMiB } from './process-stats.mjs';
import { sendAmount } from './load.mjs';

const MiB = 1024 * 1024;

/**
 * Where the relay's memory is, from its own /metrics (prom-client's default metrics): V8's heap
 * (used, and reserved), and external memory (ArrayBuffers, e.g. the SQLite store's in-memory
 * message-id index). RSS minus these is native memory: SQLite's caches, malloc, code.
 */
async function heapMiB(relay) {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  const read = (name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / MiB;
  return {
    heapUsedMiB: read('nodejs_heap_size_used_bytes'),
    heapTotalMiB: read('nodejs_heap_size_total_bytes'),
    externalMiB: read('nodejs_external_memory_bytes'),
  };
}

/**
 * Checkpoints at 10,000 events, then every `total / 10`. Each row: stored events, the insert rate
 * of the window that ended there (acknowledged requests per second), the relay's RSS and how much
 * of it is V8's heap and external memory (MiB).
 */
export async function storeGrowth(relay, { total, connections }) {
  const checkpoints = [10_000];
  for (let n = total / 10; n <= total; n += total / 10) if (n > 10_000) checkpoints.push(n);
  const rows = [
    {
      events: 0,
      insertsPerSecond: NaN,
      rssMiB: memoryMiB(relay.child.pid).rss,
      ...(await heapMiB(relay)),
      failed: 0,
    },
  ];
  let stored = 0;
  for (const checkpoint of checkpoints) {
    const window = await sendAmount(relay, '/callback', { connections, amount: checkpoint - stored });
    stored += window.ok;
    rows.push({
      events: stored,
      insertsPerSecond: window.ok / window.seconds,
      rssMiB: memoryMiB(relay.child.pid).rss,
      ...(await heapMiB(relay)),
      failed: window.failed,
    });
    process.stderr.write(
      `    ${stored.toLocaleString('en-US')} events, ${Math.round(window.ok / window.seconds)}/s\n`,
    );
  }
  return rows;
}
