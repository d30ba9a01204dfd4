// node bench/wrk.mjs [rounds]: the headline pair (relay / twurple) again, driven by wrk (C, one
// thread, 50 connections) instead of autocannon. A cross-check of the load generator: autocannon
// spends ~50 µs of CPU per request on the same 2 cores as the target; wrk far less. Needs wrk
// (apt-get install wrk) and `npm run build`. Prints figures and ratios; never fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './process-stats.mjs';
import { BENCH_SECRET, signedFollow } from './sign.mjs';
import { startTarget } from './target-process.mjs';

const rounds = Number(process.argv[2] ?? 3);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SECONDS = 10;
const WARMUP_SECONDS = 2;
/** More distinct requests than any target answers in the measured seconds (each is sent once). */
const POOL = 250_000;

/** `count` distinct signed notifications as raw HTTP/1.1 requests, separated by ASCII RS for the Lua script. */
function writePool(file, path, port, count) {
  const requests = [];
  for (let i = 0; i < count; i++) {
    const { body, headers } = signedFollow();
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    requests.push(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${head.join('')}` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  writeFileSync(file, requests.join('\x1e'));
}

function wrk(url, file, seconds) {
  return execFileSync(
    'wrk',
    ['-t1', '-c50', `-d${seconds}s`, '--latency', '-s', here('./wrk/pool.lua'), url, '--', file],
    { encoding: 'utf8' },
  );
}

async function measure(target, path, dir) {
  const file = join(dir, 'pool');
  writePool(file, path, target.port, WARMUP_SECONDS * 20_000);
  wrk(target.url + path, file, WARMUP_SECONDS);
  writePool(file, path, target.port, POOL);
  const cpuBefore = cpuSeconds(target.child.pid);
  const out = wrk(target.url + path, file, SECONDS);
  const cpu = cpuSeconds(target.child.pid) - cpuBefore;
  const total = Number(/(\d+) requests in/.exec(out)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    requestsPerSecond: (total - non2xx) / SECONDS,
    p99: /99%\s+(\S+)/.exec(out)?.[1],
    non2xx,
    cpuMicros: (cpu / total) * 1e6,
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'relay-wrk-'));
  try {
    process.stdout.write(
      `wrk -t1 -c50, ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, distinct signed channel.follow\n\n` +
        '| round | relay req/s | p99 | CPU µs/req | twurple req/s | p99 | CPU µs/req | relay / twurple |\n' +
        '|---:|---:|---:|---:|---:|---:|---:|---:|\n',
    );
    const ratios = [];
    for (let round = 1; round <= rounds; round++) {
      const dataDir = mkdtempSync(join(dir, 'data-'));
      const relay = await startTarget(here('../dist/cli/main.js'), {
        args: ['serve'],
        env: { DATA_DIR: dataDir, EVENTSUB_SECRET: BENCH_SECRET, LOG_LEVEL: 'warn' },
        probePath: '/healthz',
      });
      const a = await measure(relay, '/callback', dir).finally(() => relay.stop());
      const twurple = await startTarget(here('./targets/twurple.mjs'), {
        env: { EVENTSUB_SECRET: BENCH_SECRET },
      });
      const b = await measure(twurple, '/twitch/event/channel.follow.1337.1337', dir).finally(() =>
        twurple.stop(),
      );
      const ratio = a.requestsPerSecond / b.requestsPerSecond;
      ratios.push(ratio);
      const row = (r) => `${Math.round(r.requestsPerSecond)} | ${r.p99} | ${r.cpuMicros.toFixed(0)}`;
      process.stdout.write(`| ${round} | ${row(a)} | ${row(b)} | ${ratio.toFixed(2)} |\n`);
      if (a.non2xx + b.non2xx > 0)
        process.stdout.write(`(non-2xx: relay ${a.non2xx}, twurple ${b.non2xx})\n`);
    }
    const median = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)];
    process.stdout.write(`\nmedian relay / twurple: **${median.toFixed(2)}**\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => process.stderr.write(`bench/wrk.mjs could not finish: ${error.stack ?? error}\n`));
