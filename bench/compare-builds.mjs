// node bench/compare-builds.mjs <a/cli/main.js> <b/cli/main.js> [rounds] [--wrk]: two builds of the
// relay, interleaved (a, b, a, b, …) under the same load as npm run bench (50 connections, distinct
// signed channel.follow, durable 204), so the machine's drift moves both alike. Figures only.
// With --wrk the load comes from wrk and each run reports the relay's CPU per request per thread
// (main thread, libuv's pool, V8's helpers, worker threads) and the cores busy elsewhere meanwhile:
// on a shared machine compare the CPU columns, not req/s.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measure } from './load.mjs';
import { BENCH_SECRET } from './sign.mjs';
import { startTarget } from './target-process.mjs';
import { measureWithWrk, threadSummary } from './wrk-run.mjs';

const useWrk = process.argv.includes('--wrk');
const [a, b, roundsArg = '3'] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (!a || !b) {
  process.stderr.write(
    'usage: node bench/compare-builds.mjs <a/cli/main.js> <b/cli/main.js> [rounds] [--wrk]\n',
  );
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
    if (useWrk) return await measureWithWrk(relay, '/callback', dir, { seconds: 8, pool: 150_000 });
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

const line = useWrk
  ? (label, r) =>
      `| ${label} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.p99} | ${r.cpuMicros.toFixed(0)} | ${threadSummary(r.threads)} | ${r.others.toFixed(2)} |`
  : (label, r) =>
      `| ${label} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.p99} | ${r.cpuMicrosPerRequest.toFixed(0)} |`;
process.stdout.write(
  `load average at the start: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}\n\n`,
);
process.stdout.write(
  useWrk
    ? '| build | req/s | p99 | CPU µs/req | per thread (µs/req) | others (cores) |\n|---|---:|---:|---:|---|---:|\n'
    : '| build | req/s | p99 ms | CPU µs/req |\n|---|---:|---:|---:|\n',
);
for (let round = 0; round < Number(roundsArg); round++) {
  process.stdout.write(`${line(`a (${a})`, await once(a))}\n`);
  process.stdout.write(`${line(`b (${b})`, await once(b))}\n`);
}
