// npm run soak -- --minutes 30: the relay under a steady load with everything around it failing.
// 500 signed events/s (Twitch re-sends what is not acknowledged), an HTTP sink whose consumer fails
// 10 % of requests and restarts every 5 minutes, the relay itself killed with SIGKILL every 7
// minutes and started again on the same store. Prints, over time and at the end: acknowledged,
// delivered, duplicates, lost (acknowledged but never delivered: must be 0), relay RSS and file
// descriptors. Not a test: it prints figures and never fails a build.
import { fork } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  rmSync,
  writeFileSync,
  fstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './target-process.mjs';
import { BENCH_SECRET } from './sign.mjs';
import { processFootprint, startSoakRelay, stopProcess } from './soak/relay-process.mjs';
import { TwitchSender } from './soak/twitch-sender.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '500' },
    'fail-rate': { type: 'string', default: '0.1' },
    'consumer-restart-minutes': { type: 'string', default: '5' },
    'relay-kill-minutes': { type: 'string', default: '7' },
    'report-seconds': { type: 'string', default: '60' },
    'drain-seconds': { type: 'string', default: '300' },
  },
});
const settings = Object.fromEntries(Object.entries(args).map(([key, value]) => [key, Number(value)]));
for (const [key, value] of Object.entries(settings)) {
  if (!(value >= 0)) {
    console.error(`--${key} must be a number ≥ 0, not "${args[key]}"`);
    process.exit(2);
  }
}

const FORWARD_SECRET = 'whsec_' + Buffer.from('soak-forward-secret-32-bytes-xxx').toString('base64');
// Short retries: a delivery that failed is tried again within seconds (the default schedule waits up
// to 12 h), so the run ends drained; 15 steps at a 10 % failure rate never run out.
const RETRY_SCHEDULE = [1, 2, 4, 8, 15, 30, 30, 30, 30, 30, 60, 60, 60, 60, 60];

const dir = mkdtempSync(join(tmpdir(), 'relay-soak-'));
const dataDir = join(dir, 'data');
const deliveredLog = join(dir, 'delivered.log');
writeFileSync(deliveredLog, '');
const relayPort = await freePort();
const consumerPort = await freePort();
const configFile = join(dir, 'eventsub-relay.yml');
writeFileSync(
  configFile,
  `sinks:\n  - name: consumer\n    kind: http\n    url: http://127.0.0.1:${consumerPort}/hook\n` +
    `    secret: ${FORWARD_SECRET}\n    concurrency: 16\n    retry: { schedule: [${RETRY_SCHEDULE.join(', ')}], jitter: 0.2 }\n`,
);
const relayEnv = {
  DATA_DIR: dataDir,
  EVENTSUB_SECRET: BENCH_SECRET,
  CONFIG_FILE: configFile,
  LOG_LEVEL: 'error',
};

function startConsumer() {
  const child = fork(fileURLToPath(new URL('./soak/consumer.mjs', import.meta.url)), [], {
    env: {
      ...process.env,
      PORT: String(consumerPort),
      FORWARD_SECRET,
      FAIL_RATE: String(settings['fail-rate']),
      DELIVERED_LOG: deliveredLog,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the consumer exited (${code}) before it listened`)));
  });
}

/** webhook-id → times the consumer accepted it, read from its log as it grows. */
const delivered = new Map();
let logOffset = 0;
let partialLine = '';
function readDelivered() {
  const fd = openSync(deliveredLog, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= logOffset) return;
    const buffer = Buffer.alloc(size - logOffset);
    readSync(fd, buffer, 0, buffer.length, logOffset);
    logOffset = size;
    const lines = (partialLine + buffer.toString('utf8')).split('\n');
    partialLine = lines.pop() ?? '';
    for (const id of lines) if (id) delivered.set(id, (delivered.get(id) ?? 0) + 1);
  } finally {
    closeSync(fd);
  }
}
const duplicates = () => [...delivered.values()].reduce((sum, n) => sum + n - 1, 0);
const deliveredOfAcked = (sender) => [...sender.acked].filter((id) => delivered.has(id)).length;

let consumer = await startConsumer();
let relay = await startSoakRelay(relayPort, relayEnv);
const sender = new TwitchSender(`http://127.0.0.1:${relayPort}`, BENCH_SECRET, settings.rate);
const started = Date.now();
const counts = { relayKills: 0, consumerRestarts: 0 };
/** Seconds from each SIGKILL until the new relay answered /healthz. */
const restartSeconds = [];
const footprints = [];
const rows = [];

function report(phase) {
  readDelivered();
  const footprint = processFootprint(relay.pid);
  if (footprint) footprints.push(footprint);
  const row = [
    `${Math.round((Date.now() - started) / 1000)}`,
    phase,
    sender.sent,
    sender.acked.size,
    sender.waiting.size + sender.inFlight,
    deliveredOfAcked(sender),
    duplicates(),
    footprint ? footprint.rssMiB.toFixed(0) : '(down)',
    footprint ? footprint.fds : '(down)',
    counts.relayKills,
    counts.consumerRestarts,
  ];
  rows.push(row);
  console.log(`| ${row.join(' | ')} |`);
}

console.log(
  `soak: ${settings.minutes} min at ${settings.rate} events/s; consumer fails ${settings['fail-rate'] * 100} % and restarts every ` +
    `${settings['consumer-restart-minutes']} min; relay SIGKILLed every ${settings['relay-kill-minutes']} min; Node ${process.version}\n`,
);
console.log(
  '| t (s) | phase | sent | acked | not yet acked | delivered (of acked) | duplicates | relay RSS MiB | relay fds | relay kills | consumer restarts |',
);
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
report('start');

const every = (minutes, action) => (minutes > 0 ? setInterval(action, minutes * 60_000) : undefined);
let chaos = Promise.resolve();
const serially = (action) =>
  (chaos = chaos.then(action).catch((error) => console.error(`soak: ${error.message}`)));
const timers = [
  every(settings['consumer-restart-minutes'], () =>
    serially(async () => {
      await stopProcess(consumer, 'SIGTERM');
      consumer = await startConsumer();
      counts.consumerRestarts++;
    }),
  ),
  every(settings['relay-kill-minutes'], () =>
    serially(async () => {
      const killedAt = Date.now();
      await stopProcess(relay, 'SIGKILL');
      counts.relayKills++;
      relay = await startSoakRelay(relayPort, relayEnv);
      restartSeconds.push((Date.now() - killedAt) / 1000);
    }),
  ),
  setInterval(() => report('load'), settings['report-seconds'] * 1000),
];

sender.start();
await new Promise((resolve) => setTimeout(resolve, settings.minutes * 60_000));
sender.stopNew();
for (const timer of timers) clearInterval(timer);
await chaos;
report('load ends');

// Drain: Twitch's re-sends until everything is acknowledged, then the relay's retries until the
// consumer has every acknowledged event (or the drain time is up).
const unacked = await sender.drain(120_000);
const drainDeadline = Date.now() + settings['drain-seconds'] * 1000;
for (;;) {
  readDelivered();
  if (deliveredOfAcked(sender) === sender.acked.size || Date.now() > drainDeadline) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
report('drained');
const drainedAfter = Math.round((Date.now() - started) / 1000 - settings.minutes * 60);

await stopProcess(relay, 'SIGTERM');
// Where is each acknowledged event the consumer never got? Absent from the store = lost by the relay.
const missing = [...sender.acked].filter((id) => !delivered.has(id));
const where = { absent: 0, pending: 0, dead: 0, delivered: 0 };
if (missing.length > 0) {
  const { openStore } = await import('../dist/store/open-store.js');
  const store = await openStore(`sqlite:${join(dataDir, 'eventsub-relay.sqlite')}`);
  for (const id of missing) {
    const detail = await store.getEvent(id);
    const status = detail?.deliveries[0]?.status;
    where[status ?? 'absent']++;
  }
  await store.close();
}
await stopProcess(consumer, 'SIGTERM');
await sender.close();

const rss = footprints.map((f) => f.rssMiB);
const fds = footprints.map((f) => f.fds);
const errors = [...sender.errors.entries()].map(([code, n]) => `${code} ×${n}`).join(', ');
const statuses = [...sender.statuses.entries()]
  .sort(([a], [b]) => a - b)
  .map(([s, n]) => `${s === 0 ? 'no answer' : s} ×${n}`);
console.log(`
- events sent: ${sender.sent.toLocaleString('en')} new (${sender.behind} not sent: sender behind), ${sender.resent.toLocaleString('en')} re-sent; answers: ${statuses.join(', ')}${errors && ` (no answer: ${errors})`}
- acked: **${sender.acked.size.toLocaleString('en')}** (not acked after the drain: ${unacked})
- delivered (acked events the consumer accepted): **${deliveredOfAcked(sender).toLocaleString('en')}**; drained ${drainedAfter} s after the load stopped
- duplicates (deliveries accepted again: at-least-once after a SIGKILL): **${duplicates()}**
- lost (acked, never delivered): **${missing.length}** (absent from the store: ${where.absent}, still pending: ${where.pending}, dead: ${where.dead})
- relay RSS MiB min / max / last: ${Math.min(...rss).toFixed(0)} / ${Math.max(...rss).toFixed(0)} / ${rss.at(-1)?.toFixed(0)}; file descriptors min / max / last: ${Math.min(...fds)} / ${Math.max(...fds)} / ${fds.at(-1)}
- relay killed ${counts.relayKills} × (SIGKILL; back on /healthz after ${restartSeconds.map((s) => s.toFixed(1)).join(', ') || '-'} s), consumer restarted ${counts.consumerRestarts} ×`);
if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
