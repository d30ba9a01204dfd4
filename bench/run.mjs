// npm run bench [-- --quick]: eventsub-relay side by side with what a TypeScript user would pick
// instead, in one run on this machine. Prints figures and ratios (markdown); never fails a build.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, paced } from './load.mjs';
import { BENCH_SECRET } from './sign.mjs';
import { startTarget } from './target-process.mjs';

const quick = process.argv.includes('--quick');
const settings = quick
  ? { connections: 50, seconds: 3, warmupSeconds: 1, growthEvents: 100_000, poolSize: 60_000 }
  : { connections: 50, seconds: 10, warmupSeconds: 2, growthEvents: 1_000_000, poolSize: 250_000 };
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const CLI = here('../dist/cli/main.js');
const FORWARD_SECRET = 'whsec_' + Buffer.from('bench-forward-secret-32-bytes-xx').toString('base64');

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function withDataDir(work) {
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(label, target, path) {
  try {
    const result = await measure(target, path, settings);
    process.stderr.write(`  ${label}: ${fmt(result.requestsPerSecond)} req/s\n`);
    return { label, ...result };
  } finally {
    await target.stop();
  }
}

const relayEnv = (dataDir, extra = {}) => ({
  DATA_DIR: dataDir,
  EVENTSUB_SECRET: BENCH_SECRET,
  LOG_LEVEL: 'warn',
  ...extra,
});

async function main() {
  const started = new Date();
  process.stderr.write(
    `eventsub-relay bench (${quick ? 'quick' : 'full'}): ${settings.seconds} s per target, ${settings.connections} connections\n`,
  );
  const results = [];

  results.push(
    await withDataDir(async (dir) =>
      bench(
        'eventsub-relay (SQLite, durable 204, log sink)',
        await startTarget(CLI, { args: ['serve'], env: relayEnv(dir), probePath: '/healthz' }),
        '/callback',
      ),
    ),
  );

  let endToEnd;
  results.push(
    await withDataDir(async (dir) => {
      const consumer = await startTarget(here('./targets/consumer.mjs'), { env: { FORWARD_SECRET } });
      const relay = await startTarget(CLI, {
        args: ['serve'],
        env: relayEnv(dir, { FORWARD_URL: `${consumer.url}/hook`, FORWARD_SECRET }),
        probePath: '/healthz',
      });
      const result = await measure(relay, '/callback', settings);
      process.stderr.write(
        `  eventsub-relay + http sink: ${fmt(result.requestsPerSecond)} req/s; draining…\n`,
      );
      // Everything acknowledged must reach the consumer: wait for the backlog to drain, and time it.
      const drainStart = Date.now();
      let report = await consumer.ask('report');
      for (let last = -1; report.received !== last && Date.now() - drainStart < 120_000;) {
        last = report.received;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        report = await consumer.ask('report');
      }
      const drainSeconds = (Date.now() - drainStart) / 1000 - 1; // the last second only confirmed it stopped
      // Latency at a steady 200 events/s, well below saturation: what a streamer or bot actually sees.
      await consumer.ask('reset');
      const sentPaced = await paced(relay, '/callback', { rate: 200, seconds: quick ? 3 : 5 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const pacedReport = await consumer.ask('report');
      await relay.stop();
      await consumer.stop();
      const sorted = pacedReport.latencies.sort((a, b) => a - b);
      endToEnd = {
        acknowledged: result.completed,
        received: report.received,
        rejected: report.rejected,
        drainSeconds,
        paced: sentPaced,
        pacedReceived: sorted.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
      };
      return { label: 'eventsub-relay + http sink to a consumer', ...result };
    }),
  );

  const twurple = await startTarget(here('./targets/twurple.mjs'), {
    env: { EVENTSUB_SECRET: BENCH_SECRET },
  });
  results.push(
    await bench(
      '@twurple/eventsub-http EventSubMiddleware (202, in memory)',
      twurple,
      '/twitch/event/channel.follow.1337.1337',
    ),
  );
  const bareExpress = await startTarget(here('./targets/express-hmac.mjs'), {
    env: { EVENTSUB_SECRET: BENCH_SECRET },
  });
  results.push(
    await bench('bare express + express.raw + HMAC (204, nothing stored)', bareExpress, '/callback'),
  );
  const nodeHttp = await startTarget(here('./targets/node-http.mjs'));
  results.push(await bench('bare node:http (204, the floor)', nodeHttp, '/'));

  process.stderr.write('  store growth…\n');
  const growth = await new Promise((resolve, reject) => {
    const child = fork(here('./store-growth.mjs'), [String(settings.growthEvents)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', resolve);
    child.once('exit', (code) => code !== 0 && reject(new Error(`store-growth exited ${code}`)));
  });

  const [relay, relayForward, anchor, express] = results;
  const out = [];
  out.push(`# eventsub-relay benchmark`, '');
  out.push(
    `${started.toISOString()} · ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}) · Node ${process.version} · ${quick ? '--quick' : 'full run'}: autocannon, ${settings.connections} connections, ${settings.seconds} s per target after ${settings.warmupSeconds} s warm-up; every request a freshly signed, distinct channel.follow v2 notification with all Twitch headers. Each target in its own process; the load generator shares the machine.`,
    '',
  );
  out.push('| target | req/s | p50 ms | p99 ms | p99.9 ms | non-2xx | server CPU µs/req | peak RSS MiB |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    out.push(
      `| ${r.label} | ${fmt(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${r.p999} | ${r.non2xx} | ${fmt(r.cpuMicrosPerRequest)} | ${fmt(r.peakRssMiB)} |`,
    );
  }
  out.push('', '**Ratios (throughput)**', '');
  out.push(
    `- relay / twurple: **${fmt(relay.requestsPerSecond / anchor.requestsPerSecond, 2)}** (p99 ${relay.p99} ms vs ${anchor.p99} ms)`,
  );
  out.push(
    `- relay / bare express + HMAC: **${fmt(relay.requestsPerSecond / express.requestsPerSecond, 2)}**`,
  );
  out.push(
    `- relay with http sink / relay without: **${fmt(relayForward.requestsPerSecond / relay.requestsPerSecond, 2)}**`,
  );
  out.push('', '**End to end (POST to Twitch-style callback → consumer verified and received it)**', '');
  out.push(
    `- after the saturating run the consumer had ${fmt(endToEnd.received)} events (measured ${fmt(endToEnd.acknowledged)} + warm-up), ${endToEnd.rejected} failed verification; the backlog drained ${fmt(endToEnd.drainSeconds, 1)} s after the load stopped.`,
    `- at a steady 200 notifications/s: ${fmt(endToEnd.pacedReceived)} of ${fmt(endToEnd.paced)} received; POST → consumer latency p50 **${endToEnd.p50} ms**, p99 **${endToEnd.p99} ms**.`,
  );
  out.push('', '**Store growth (SQLite, one delivery per event, group commit, synchronous=FULL)**', '');
  out.push('| stored events | inserts/s (last window) | RSS MiB |', '|---:|---:|---:|');
  for (const row of growth)
    out.push(`| ${fmt(row.events)} | ${fmt(row.insertsPerSecond)} | ${fmt(row.rssMiB)} |`);
  const first = growth.find((row) => row.events >= settings.growthEvents / 100) ?? growth[1];
  const last = growth[growth.length - 1];
  out.push(
    '',
    `RSS at ${fmt(last.events)} events − RSS at ${fmt(first.events)}: ${fmt(last.rssMiB - first.rssMiB, 1)} MiB; insert rate last/first window: ${fmt(last.insertsPerSecond / growth[1].insertsPerSecond, 2)}.`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error) => {
  // A benchmark reports; it never fails a build.
  process.stderr.write(`bench could not finish: ${error.stack ?? error}\n`);
});
