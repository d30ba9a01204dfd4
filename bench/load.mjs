// Drives one target with autocannon: every request a freshly signed, distinct notification.
import autocannon from 'autocannon';
import { signedFollow } from './sign.mjs';
import { cpuSeconds, memoryMiB } from './process-stats.mjs';

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * Requests signed ahead of time, so the load generator (sharing the cores with the target) spends
 * its time sending rather than hashing. Each is handed out once: when the pool runs dry, requests
 * are signed on the spot, so no message id is ever sent twice (a duplicate would be answered from
 * the dedup path and flatter the target).
 */
function requestSource(poolSize) {
  const pool = Array.from({ length: poolSize }, () => ({ method: 'POST', ...signedFollow() }));
  let next = 0;
  return {
    setupRequest: (request) => ({
      ...request,
      ...(next < pool.length ? pool[next++] : { method: 'POST', ...signedFollow() }),
    }),
    get signedOnTheSpot() {
      return Math.max(0, next - pool.length);
    },
  };
}

/**
 * Warm-up, then a measured run of `seconds`. Returns req/s, latency percentiles (ms), non-2xx,
 * server CPU per request (µs) and peak RSS (MiB) of the target process.
 */
export async function measure(target, path, { connections, seconds, warmupSeconds, poolSize }) {
  const url = target.url + path;
  const warmup = requestSource(0);
  await run({ url, connections, duration: warmupSeconds, requests: [{ setupRequest: warmup.setupRequest }] });
  const source = requestSource(poolSize);
  const cpuBefore = cpuSeconds(target.child.pid);
  const result = await run({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: source.setupRequest }],
  });
  const cpu = cpuSeconds(target.child.pid) - cpuBefore;
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    non2xx: result.non2xx + result.errors + result.timeouts,
    cpuMicrosPerRequest: ok > 0 ? (cpu / ok) * 1e6 : NaN,
    peakRssMiB: memoryMiB(target.child.pid).peakRss,
    completed: ok,
    signedOnTheSpot: source.signedOnTheSpot,
  };
}

/** Sends exactly `amount` distinct signed notifications as fast as the target takes them. */
export async function sendAmount(target, path, { connections, amount }) {
  const source = requestSource(amount);
  const started = performance.now();
  const result = await run({
    url: target.url + path,
    connections,
    amount,
    requests: [{ setupRequest: source.setupRequest }],
  });
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Sends distinct signed notifications at a fixed `rate` per second for `seconds` (for latency, not throughput). */
export async function paced(target, path, { rate, seconds }) {
  // Signed at send time: the consumer measures latency from the Twitch timestamp.
  const source = requestSource(0);
  const result = await run({
    url: target.url + path,
    connections: 10,
    overallRate: rate,
    duration: seconds,
    requests: [{ setupRequest: source.setupRequest }],
  });
  return result['2xx'];
}
