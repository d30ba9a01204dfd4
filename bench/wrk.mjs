// node bench/wrk.mjs [rounds] [--max-load=0.5] [--max-others=0.2]: the headline pair (relay /
// twurple), interleaved, driven by wrk (C, one thread, 50 connections; it takes far less of the
// cores than autocannon, which bench/run.mjs reports beside it). Needs wrk (apt-get install wrk)
// and `npm run build`.
//
// The bench tells the truth on a shared machine: it prints the load average at the start and,
// for every run, the cores the rest of the machine kept busy (everything but the target, wrk and
// this script, from /proc/stat); when the load average was above --max-load at the start, or any
// run saw more than --max-others cores busy elsewhere, it prints the figures but no headline.
// CPU per request is reported per thread (main, libuv's pool, V8's helpers, worker threads): the
// measure that stays meaningful when wall-clock req/s does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SECRET } from './sign.mjs';
import { startTarget } from './target-process.mjs';
import { measureWithWrk, threadSummary } from './wrk-run.mjs';

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const option = (name, fallback) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rounds = Number(positional[0] ?? 3);
const maxLoad = option('max-load', 0.5);
const maxOthers = option('max-others', 0.2);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SECONDS = 10;
const WARMUP_SECONDS = 2;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'relay-wrk-'));
  const [load1, load5, load15] = loadavg();
  const busyAtStart = load1 > maxLoad;
  try {
    process.stdout.write(
      `load average at the start: ${load1.toFixed(2)} ${load5.toFixed(2)} ${load15.toFixed(2)} ` +
        `(${cpus().length} cores; a headline needs ≤ ${maxLoad})\n` +
        `wrk -t1 -c50, ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, distinct signed channel.follow; ` +
        `CPU in µs per request; "others": cores busy outside target, wrk and this script\n\n` +
        '| round | target | req/s | p99 | CPU µs/req | per thread (µs/req) | wrk µs/req | others |\n' +
        '|---:|---|---:|---:|---:|---|---:|---:|\n',
    );
    const ratios = [];
    let busyRuns = 0;
    const row = (round, name, r) => {
      if (r.others > maxOthers) busyRuns++;
      process.stdout.write(
        `| ${round} | ${name} | ${Math.round(r.requestsPerSecond)} | ${r.p99} | ${r.cpuMicros.toFixed(0)} | ` +
          `${threadSummary(r.threads)} | ${r.wrkCpuMicros.toFixed(0)} | ${r.others.toFixed(2)} |\n`,
      );
      if (r.non2xx > 0) process.stdout.write(`(non-2xx from ${name}: ${r.non2xx})\n`);
    };
    for (let round = 1; round <= rounds; round++) {
      const dataDir = mkdtempSync(join(dir, 'data-'));
      const relay = await startTarget(here('../dist/cli/main.js'), {
        args: ['serve'],
        env: { DATA_DIR: dataDir, EVENTSUB_SECRET: BENCH_SECRET, LOG_LEVEL: 'warn' },
        probePath: '/healthz',
      });
      const a = await measureWithWrk(relay, '/callback', dir, {
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
      }).finally(() => relay.stop());
      row(round, 'relay', a);
      const twurple = await startTarget(here('./targets/twurple.mjs'), {
        env: { EVENTSUB_SECRET: BENCH_SECRET },
      });
      const b = await measureWithWrk(twurple, '/twitch/event/channel.follow.1337.1337', dir, {
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
      }).finally(() => twurple.stop());
      row(round, 'twurple', b);
      ratios.push({ rate: a.requestsPerSecond / b.requestsPerSecond, cpu: a.cpuMicros / b.cpuMicros });
    }
    const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    const rate = median(ratios.map((r) => r.rate));
    const cpu = median(ratios.map((r) => r.cpu));
    if (busyAtStart || busyRuns > 0) {
      process.stdout.write(
        `\nno headline: the machine was busy (load average ${load1.toFixed(2)} at the start, ` +
          `${busyRuns} run(s) with more than ${maxOthers} cores busy elsewhere). ` +
          `Per-request CPU above is still comparable; req/s is not. ` +
          `(medians, for reference only: relay / twurple ${rate.toFixed(2)} req/s, ${cpu.toFixed(2)} CPU)\n`,
      );
      process.exitCode = 3;
      return;
    }
    process.stdout.write(
      `\nmedian relay / twurple: **${rate.toFixed(2)}** req/s; CPU per request relay / twurple: **${cpu.toFixed(2)}**\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench/wrk.mjs could not finish: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
