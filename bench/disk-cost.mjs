// Disk cost of storing events: bytes the relay process writes to storage per acknowledged event
// (/proc/<pid>/io write_bytes: the WAL, the checkpoints that copy it into the database, anything
// else it writes), over `events` distinct signed notifications sent as fast as it takes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendAmount } from './load.mjs';
import { writeBytes } from './process-stats.mjs';
import { BENCH_SECRET } from './sign.mjs';
import { startTarget } from './target-process.mjs';

export async function diskCost(relay, { events, connections }) {
  const before = writeBytes(relay.child.pid);
  const window = await sendAmount(relay, '/callback', { connections, amount: events });
  // Let the deliveries recorded after the last 204 reach the disk too (they are part of the cost).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const written = writeBytes(relay.child.pid) - before;
  return {
    events: window.ok,
    failed: window.failed,
    bytesPerEvent: written / window.ok,
    megabytesWritten: written / 1e6,
  };
}

// `node bench/disk-cost.mjs [cli.js] [events]`: the same measurement on its own, against any build
// of the relay (default this checkout's dist/cli/main.js), e.g. an older commit's for a before/after.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = process.argv[2] ?? fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  const events = Number(process.argv[3] ?? 100_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-disk-'));
  const relay = await startTarget(cli, {
    args: ['serve'],
    env: { DATA_DIR: dataDir, EVENTSUB_SECRET: BENCH_SECRET, LOG_LEVEL: 'warn' },
    probePath: '/healthz',
  });
  try {
    const result = await diskCost(relay, { events, connections: 50 });
    process.stdout.write(
      `${cli}: ${Math.round(result.bytesPerEvent)} bytes written per event over ${result.events} events ` +
        `(${result.megabytesWritten.toFixed(1)} MB, ${result.failed} failed)\n`,
    );
  } finally {
    await relay.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
