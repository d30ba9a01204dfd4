// What a user feels before any load: wall time, CPU time (user + system) and peak RSS of each CLI
// command, `node -e 0` as the floor, and `serve`'s time to listen and idle RSS on an empty store and
// on a 1,000,000-event one. Several builds can be compared, interleaved run by run so the machine's
// drift moves them alike:
//
//   node bench/cli-startup.mjs [--runs N] [--only cli|serve] [label=path/to/cli/main.js …]
//
// Default: this checkout's build (dist/cli/main.js), 10 runs. Figures and ratios only, never
// pass/fail. CPU time and RSS hold up on a busy machine; wall time does not (it is printed with the
// load average). The stores (100,000 and 1,000,000 events) are built once into
// bench/results/cli-startup-cache/ and reused; delete that folder to rebuild them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildStore } from './cli-startup-store.mjs';
import { cpuSeconds, memoryMiB } from './process-stats.mjs';
import { BENCH_SECRET } from './sign.mjs';
import { freePort } from './target-process.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return value;
};
const runs = Number(option('--runs', '10'));
const only = option('--only', 'all');
const builds = (args.length ? args : ['this=dist/cli/main.js']).map((arg) => {
  const [label, path] = arg.includes('=') ? arg.split('=') : [arg, arg];
  return { label, cli: resolve(path) };
});
for (const { cli } of builds) if (!existsSync(cli)) throw new Error(`${cli} does not exist (npm run build)`);

const CACHE = resolve('bench/results/cli-startup-cache');
const TIME = '/usr/bin/time';
const MiB = 1024;

/** An environment without the caller's relay settings: every figure is the default configuration. */
function cleanEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(PORT|HOST|DATA_DIR|STORE_URL|CONFIG_FILE|EVENTSUB_|TWITCH_|TWURPLE_|LOG_|TRANSPORT)/.test(key))
      env[key] = value;
  return { ...env, ...extra };
}

/** Runs `node <argv>` under /usr/bin/time: wall (ms, measured here), CPU (ms) and peak RSS (MiB). */
function timed(argv, env, cwd) {
  const out = join(cwd, `time-${process.pid}.txt`);
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(TIME, ['-f', '%U %S %M', '-o', out, process.execPath, ...argv], {
      env,
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const [user, system, maxKiB] = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .at(-1)
        .split(' ')
        .map(Number);
      resolvePromise({ wallMs, cpuMs: (user + system) * 1000, rssMiB: maxKiB / MiB, code, stderr });
    });
  });
}

/** A consumer of `trigger` that answers 204 at once: the figure is the command, not a relay's answer. */
function startAnsweringServer() {
  return new Promise((resolvePromise) => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    }).listen(0, '127.0.0.1', () => resolvePromise(server));
  });
}

const connects = (port) =>
  new Promise((resolvePromise) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });

/**
 * `serve` with the default configuration on `dataDir`: ms until its port accepts a connection, CPU
 * ms spent until then, and RSS after `settleMs` idle (MiB).
 */
async function serveOnce(cli, dataDir, settleMs = 3000) {
  const port = await freePort();
  // RETENTION_DAYS: the cached store's events must not age out between runs; nothing else differs from the defaults.
  const env = cleanEnv({
    DATA_DIR: dataDir,
    PORT: String(port),
    EVENTSUB_SECRET: BENCH_SECRET,
    RETENTION_DAYS: '36500',
  });
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [cli, 'serve'], {
    env,
    cwd: dataDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  let listenMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}) before it listened`);
    if (await connects(port)) {
      listenMs = Number(process.hrtime.bigint() - started) / 1e6;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const cpuMs = cpuSeconds(child.pid) * 1000;
  await new Promise((r) => setTimeout(r, settleMs));
  const { rss } = memoryMiB(child.pid);
  child.kill('SIGTERM');
  await exited;
  return { listenMs, cpuMs, rssMiB: rss };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (value, digits = 0) => value.toFixed(digits);

async function main() {
  const [one, five] = loadavg();
  process.stdout.write(
    `# CLI start-up, ${runs} runs each, interleaved; node ${process.version}; load average ${fmt(one, 2)} (1 min), ${fmt(five, 2)} (5 min)\n\n`,
  );
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'cli-startup-'));
  const answering = await startAnsweringServer();
  const triggerTo = `http://127.0.0.1:${answering.address().port}/callback`;
  try {
    if (only !== 'serve') await commands(work, triggerTo);
    if (only !== 'cli') await serveFigures(work);
  } finally {
    answering.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function commands(work, triggerTo) {
  const store100k = await buildStore(join(CACHE, 'store-100k'), 100_000, builds[0].cli);
  const env = cleanEnv({ DATA_DIR: store100k, EVENTSUB_SECRET: BENCH_SECRET });
  const cases = [
    { name: '--version', argv: ['--version'] },
    { name: '--help', argv: ['--help'] },
    { name: 'types', argv: ['types'] },
    { name: 'events list (100k events)', argv: ['events', 'list'] },
    { name: 'trigger channel.follow', argv: ['trigger', 'channel.follow', '--to', triggerTo] },
  ];
  const results = new Map(); // key: case name + build label
  const floor = [];
  const add = (key, sample) => results.set(key, [...(results.get(key) ?? []), sample]);
  for (let run = 0; run < runs; run++) {
    floor.push(await timed(['-e', '0'], env, work));
    for (const c of cases)
      for (const b of builds) {
        const sample = await timed([b.cli, ...c.argv], env, work);
        if (sample.code !== 0)
          throw new Error(`${b.label} ${c.name} exited ${sample.code}: ${sample.stderr}`);
        add(`${c.name}\0${b.label}`, sample);
      }
  }
  const row = (name, label, samples, base) => {
    const wall = median(samples.map((s) => s.wallMs));
    const cpu = median(samples.map((s) => s.cpuMs));
    const rss = median(samples.map((s) => s.rssMiB));
    const ratio = base ? ` | ${fmt(cpu / base.cpu, 2)}` : ' | ';
    return {
      text: `| ${name} | ${label} | ${fmt(wall)} | ${fmt(Math.min(...samples.map((s) => s.wallMs)))} | ${fmt(cpu)} | ${fmt(rss, 1)}${ratio} |`,
      cpu,
    };
  };
  process.stdout.write(
    `| command | build | wall ms, median | wall ms, min | CPU ms (user+sys), median | peak RSS MiB | CPU / first build |\n|---|---|---:|---:|---:|---:|---:|\n`,
  );
  process.stdout.write(`${row('node -e 0 (the floor)', '-', floor).text}\n`);
  for (const c of cases) {
    let base;
    for (const b of builds) {
      const r = row(c.name, b.label, results.get(`${c.name}\0${b.label}`), base);
      base ??= r;
      process.stdout.write(`${r.text}\n`);
    }
  }
  process.stdout.write('\n');
}

async function serveFigures(work) {
  const store1m = await buildStore(join(CACHE, 'store-1m'), 1_000_000, builds[0].cli);
  const rows = new Map();
  const add = (key, sample) => rows.set(key, [...(rows.get(key) ?? []), sample]);
  const serveRuns = Math.max(1, Math.ceil(runs / 2));
  for (let run = 0; run < serveRuns; run++)
    for (const b of builds) {
      const empty = mkdtempSync(join(work, 'empty-'));
      add(`empty store\0${b.label}`, await serveOnce(b.cli, empty));
      rmSync(empty, { recursive: true, force: true });
      add(`1,000,000 events\0${b.label}`, await serveOnce(b.cli, store1m));
    }
  process.stdout.write(
    `serve, ${serveRuns} runs each: until the port accepts, then 3 s idle\n\n| store | build | listening after ms, median | CPU ms until then | idle RSS MiB, median |\n|---|---|---:|---:|---:|\n`,
  );
  for (const [key, samples] of rows) {
    const [store, label] = key.split('\0');
    process.stdout.write(
      `| ${store} | ${label} | ${fmt(median(samples.map((s) => s.listenMs)))} | ${fmt(median(samples.map((s) => s.cpuMs)))} | ${fmt(median(samples.map((s) => s.rssMiB)), 1)} |\n`,
    );
  }
  process.stdout.write('\n');
}

await main();
