// Store growth through the relay as shipped: keeps posting distinct signed notifications to one
// relay process until it holds `total` events, and reads its insert rate and RSS at checkpoints.
// Flat is the goal: the millionth event should cost what the ten-thousandth did.
import { memoryMiB } from './process-stats.mjs';
import { sendAmount } from './load.mjs';

/**
 * Checkpoints at 10,000 events, then every `total / 10`. Each row: stored events, the insert rate
 * of the window that ended there (acknowledged requests per second) and the relay's RSS (MiB).
 */
export async function storeGrowth(relay, { total, connections }) {
  const checkpoints = [10_000];
  for (let n = total / 10; n <= total; n += total / 10) if (n > 10_000) checkpoints.push(n);
  const rows = [{ events: 0, insertsPerSecond: NaN, rssMiB: memoryMiB(relay.child.pid).rss, failed: 0 }];
  let stored = 0;
  for (const checkpoint of checkpoints) {
    const window = await sendAmount(relay, '/callback', { connections, amount: checkpoint - stored });
    stored += window.ok;
    rows.push({
      events: stored,
      insertsPerSecond: window.ok / window.seconds,
      rssMiB: memoryMiB(relay.child.pid).rss,
      failed: window.failed,
    });
    process.stderr.write(
      `    ${stored.toLocaleString('en-US')} events, ${Math.round(window.ok / window.seconds)}/s\n`,
    );
  }
  return rows;
}
