// node bench/compare-builds.mjs <a/cli/main.js> <b/cli/main.js> [rounds]: two builds of the relay,
// interleaved (a, b, a, b, …) under the same load as npm run bench (50 connections, distinct
// signed channel.follow, durable 204), so the machine's drift moves both alike. Figures only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measure } from './load.mjs';
import { BENCH_SECRET } from './sign.mjs';
import { startTarget } from './target-process.mjs';

const [a, b, roundsArg = '3'] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node bench/compare-builds.mjs <a/cli/main.js> <b/cli/main.js> [rounds]\n');
  process.exit(2);
}

async function once(cli) {
  const dir = mkdtempSync(join(tmpdir(), 'relay-compare-'));
  const relay = await startTarget(resolve(cli), {
    args: ['serve'],
    env: { DATA_DIR: dir, EVENTSUB_SECRET: BENCH_SECRET, LOG_LEVEL: 'warn' },
    probePath: '/healthz',
  });
  try {
    return await measure(relay, '/callback', {
      connections: 50,
      seconds: 8,
      warmupSeconds: 2,
      poolSize: 150_000,
    });
  } finally {
    await relay.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (label, r) =>
  `| ${label} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.p99} | ${r.cpuMicrosPerRequest.toFixed(0)} |`;
process.stdout.write('| build | req/s | p99 ms | CPU µs/req |\n|---|---:|---:|---:|\n');
for (let round = 0; round < Number(roundsArg); round++) {
  process.stdout.write(`${line(`a (${a})`, await once(a))}\n`);
  process.stdout.write(`${line(`b (${b})`, await once(b))}\n`);
}
