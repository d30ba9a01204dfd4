// npm run bench [-- --quick]: eventsub-relay side by side with what a TypeScript user would pick
// instead, in one run on this machine. Prints figures and ratios (markdown); a full run also writes
// bench/RESULTS.md. Never fails a build: a run that cannot finish says why and exits 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diskCost } from './disk-cost.mjs';
import { endToEnd } from './end-to-end.mjs';
import { storeGrowth } from './growth.mjs';
import { measure } from './load.mjs';
import { formatReport } from './report.mjs';
import { BENCH_SECRET } from './sign.mjs';
import { startTarget } from './target-process.mjs';

const quick = process.argv.includes('--quick');
const settings = quick
  ? {
      connections: 50,
      seconds: 3,
      warmupSeconds: 1,
      poolSize: 80_000,
      growthEvents: 50_000,
      pacedRate: 200,
      pacedSeconds: 2,
      rounds: 1,
      diskEvents: 20_000,
    }
  : {
      connections: 50,
      seconds: 10,
      warmupSeconds: 2,
      poolSize: 300_000,
      growthEvents: 1_000_000,
      pacedRate: 200,
      pacedSeconds: 5,
      rounds: 3,
      diskEvents: 100_000,
    };
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const CLI = here('../dist/cli/main.js');
const FORWARD_SECRET = 'whsec_' + Buffer.from('bench-forward-secret-32-bytes-xx').toString('base64');
const DURABLE_MODE =
  'SQLite WAL, synchronous=NORMAL plus an fdatasync of the WAL before any 204 (as durable as FULL), group commit';

/** The live-stream figures (bench/stream.mjs, its own process), as the markdown it prints. */
function streamFigures() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [here('./stream.mjs'), ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) =>
      resolve(code === 0 ? out : `${out}\n(bench/stream.mjs could not finish: exit ${code})\n`),
    );
  });
}

/** The hand-kept part of RESULTS.md (before/after of the changes that mattered), kept across runs. */
const HISTORY_MARKER = '<!-- history: kept by npm run bench -->';
function keptHistory() {
  try {
    const text = readFileSync(here('./RESULTS.md'), 'utf8');
    const at = text.indexOf(HISTORY_MARKER);
    return at === -1 ? '' : `\n${text.slice(at)}`;
  } catch {
    return '';
  }
}

async function withDataDir(work) {
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const startRelay = (dataDir, extraEnv = {}) =>
  startTarget(CLI, {
    args: ['serve'],
    // warn: the log sink's info lines are not what we measure; every event is still stored and delivered to it.
    env: { DATA_DIR: dataDir, EVENTSUB_SECRET: BENCH_SECRET, LOG_LEVEL: 'warn', ...extraEnv },
    probePath: '/healthz',
  });

async function bench(label, target, path) {
  try {
    const result = await measure(target, path, settings);
    process.stderr.write(`  ${label}: ${Math.round(result.requestsPerSecond)} req/s\n`);
    return { label, ...result };
  } finally {
    await target.stop();
  }
}

async function forwarding() {
  return withDataDir(async (dir) => {
    const consumer = await startTarget(here('./targets/consumer.mjs'), { env: { FORWARD_SECRET } });
    const relay = await startRelay(dir, { FORWARD_URL: `${consumer.url}/hook`, FORWARD_SECRET });
    try {
      const { result, endToEnd: e2e } = await endToEnd(relay, consumer, settings);
      return { target: { label: 'eventsub-relay + http sink to a consumer', ...result }, e2e };
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });
}

const relayLabel = 'eventsub-relay (SQLite, durable 204, log sink)';
const twurpleLabel = '@twurple/eventsub-http EventSubMiddleware (202, in memory)';
const env = { EVENTSUB_SECRET: BENCH_SECRET };

const benchRelay = () => withDataDir(async (dir) => bench(relayLabel, await startRelay(dir), '/callback'));
const benchTwurple = async () =>
  bench(
    twurpleLabel,
    await startTarget(here('./targets/twurple.mjs'), { env }),
    '/twitch/event/channel.follow.1337.1337',
  );

/**
 * The headline ratio, relay / twurple, from `rounds` back-to-back pairs (the machine's noise moves
 * both alike within a pair); the report quotes every pair and the median pair's figures.
 */
async function headToHead(rounds) {
  const pairs = [];
  for (let round = 1; round <= rounds; round++) {
    process.stderr.write(`  round ${round} of ${rounds}\n`);
    const relay = await benchRelay();
    const twurple = await benchTwurple();
    pairs.push({ relay, twurple, ratio: relay.requestsPerSecond / twurple.requestsPerSecond });
  }
  const sorted = [...pairs].sort((a, b) => a.ratio - b.ratio);
  return { pairs, median: sorted[Math.floor(sorted.length / 2)] };
}

async function main() {
  const started = new Date();
  process.stderr.write(
    `eventsub-relay bench (${quick ? 'quick' : 'full'}): ${settings.seconds} s per target, ${settings.connections} connections\n`,
  );
  const rounds = await headToHead(settings.rounds);
  const targets = [rounds.median.relay];
  const forwarded = await forwarding();
  targets.push(forwarded.target);
  targets.push(rounds.median.twurple);
  targets.push(
    await bench(
      'bare express + express.raw + HMAC (204, nothing stored)',
      await startTarget(here('./targets/express-hmac.mjs'), { env }),
      '/callback',
    ),
  );
  targets.push(
    await bench('bare node:http (204, the floor)', await startTarget(here('./targets/node-http.mjs')), '/'),
  );

  process.stderr.write(`  disk cost over ${settings.diskEvents.toLocaleString('en-US')} events…\n`);
  const disk = await withDataDir(async (dir) => {
    const relay = await startRelay(dir);
    try {
      return await diskCost(relay, { events: settings.diskEvents, connections: settings.connections });
    } finally {
      await relay.stop();
    }
  });

  process.stderr.write(`  store growth to ${settings.growthEvents.toLocaleString('en-US')} events…\n`);
  const growth = await withDataDir(async (dir) => {
    const relay = await startRelay(dir);
    try {
      return await storeGrowth(relay, { total: settings.growthEvents, connections: settings.connections });
    } finally {
      await relay.stop();
    }
  });

  process.stderr.write('  live streams (bench/stream.mjs)…\n');
  const streams = await streamFigures();

  const report = formatReport({
    started,
    quick,
    settings,
    targets,
    rounds: rounds.pairs,
    disk,
    endToEnd: forwarded.e2e,
    growth,
    durableMode: DURABLE_MODE,
  });
  process.stdout.write(`${report}\n${streams}`);
  if (!quick) {
    const took = ((Date.now() - started.getTime()) / 1000).toFixed(0);
    writeFileSync(
      here('./RESULTS.md'),
      `${report}\n${streams}\nWritten by \`npm run bench\` (took ${took} s).\n${keptHistory()}`,
    );
    process.stderr.write('written to bench/RESULTS.md\n');
  }
}

main().catch((error) => {
  // A benchmark reports; it never fails a build.
  process.stderr.write(`bench could not finish: ${error.stack ?? error}\n`);
});
