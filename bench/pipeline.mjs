// node bench/pipeline.mjs [events] [in-flight] [stub]: CPU per event of the relay's own path, in one
// process, no HTTP: receive (headers, signature, timestamp, parse) → intake → store (group commit,
// fdatasync) → the log sink's lane → the delivery recorded. `stub` replaces the intake with one that
// stores nothing (the receiver alone). CPU time, not wall time, so it is comparable across runs on
// a busy machine better than req/s is. Needs `npm run build`. CONFIG_FILE picks other sinks.
// Reports the main thread's CPU (/proc/self/task/<pid>/stat) beside the whole process's (every
// thread: the SQLite writer, the checkpointer, libuv's pool, V8's helpers).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRelayConfig } from '../dist/config/relay-config.js';
import { createLogger } from '../dist/observability/logger.js';
import { createReceiver } from '../dist/receiver/receiver.js';
import { startRelay } from '../dist/relay/start-relay.js';
import { BENCH_SECRET, signedFollow } from './sign.mjs';

const total = Number(process.argv[2] ?? 20_000);
const inFlight = Number(process.argv[3] ?? 50);
const stub = process.argv[4] === 'stub';
const dataDir = mkdtempSync(join(tmpdir(), 'relay-pipeline-'));
const config = loadRelayConfig({
  DATA_DIR: dataDir,
  PORT: '0',
  EVENTSUB_SECRET: BENCH_SECRET,
  LOG_LEVEL: 'warn',
  ...(process.env.CONFIG_FILE && { CONFIG_FILE: process.env.CONFIG_FILE }),
});
const relay = await startRelay(config, createLogger('warn'));
const intake = stub ? { accept: async () => 'stored' } : relay.intake;
const receive = createReceiver({ secrets: () => relay.provisioned.eventSub.secrets, intake });
const requests = Array.from({ length: total }, () => {
  const signed = signedFollow();
  return { headers: signed.headers, body: Buffer.from(signed.body) };
});

/** CPU seconds of this process's main thread so far (Linux: its thread id is the pid). */
function mainThreadSeconds() {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

let next = 0;
const mainBefore = mainThreadSeconds();
const cpuBefore = process.cpuUsage();
const started = performance.now();
async function sender() {
  while (next < requests.length) {
    const { headers, body } = requests[next++];
    const decision = await receive(headers, body);
    if (decision.kind !== 'stored') throw new Error(`expected stored, got ${JSON.stringify(decision)}`);
  }
}
await Promise.all(Array.from({ length: inFlight }, sender));
// The deliveries are recorded after the acknowledgements: give the last ones their commit.
await new Promise((resolve) => setTimeout(resolve, 300));
const cpu = process.cpuUsage(cpuBefore);
const mainMicros = ((mainThreadSeconds() - mainBefore) * 1e6) / total;
const wallMs = performance.now() - started;
console.log(
  `${stub ? 'receiver only' : 'receiver + store + log sink'}: ${total} events, ` +
    `${Math.round((total / wallMs) * 1000)}/s wall, CPU ${((cpu.user + cpu.system) / total).toFixed(1)} µs/event ` +
    `(user ${(cpu.user / total).toFixed(1)}, system ${(cpu.system / total).toFixed(1)}), ` +
    `main thread ${mainMicros.toFixed(1)} µs/event`,
);
await relay.stop();
rmSync(dataDir, { recursive: true, force: true });
