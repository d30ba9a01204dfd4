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
 * Warm-up, then a measured run. Returns req/s, latency percentiles (ms), non-2xx, server CPU per
 * request (µs) and peak RSS (MiB) of the target process.
 */
export async function measure(target, path, { connections, seconds, warmupSeconds, poolSize }) {
  // Signed before the clock starts, so the load generator (sharing the 2 cores) measures the
  // server rather than its own HMACs; each request is still distinct and validly signed.
  const pool = Array.from({ length: poolSize }, () => ({ method: 'POST', ...signedFollow() }));
  let next = 0;
  const options = {
    url: target.url + path,
    connections,
    requests: [{ setupRequest: (request) => ({ ...request, ...pool[next++ % pool.length] }) }],
  };
  await run({ ...options, duration: warmupSeconds });
  const cpuBefore = cpuSeconds(target.child.pid);
  const result = await run({ ...options, duration: seconds });
  const cpu = cpuSeconds(target.child.pid) - cpuBefore;
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9 ?? result.latency.p999,
    non2xx: result.non2xx + result.errors + result.timeouts,
    cpuMicrosPerRequest: ok > 0 ? (cpu / ok) * 1e6 : NaN,
    peakRssMiB: memoryMiB(target.child.pid).peakRss,
    completed: ok,
  };
}

/** Sends distinct signed notifications at a fixed `rate` per second for `seconds` (for latency, not throughput). */
export async function paced(target, path, { rate, seconds }) {
  const result = await run({
    url: target.url + path,
    connections: 10,
    overallRate: rate,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, method: 'POST', ...signedFollow() }) }],
  });
  return result['2xx'];
}
