// Drives one target with autocannon: every request a freshly signed, distinct notification.
import autocannon from 'autocannon';
import { Agent, request } from 'undici';
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

/**
 * Sends exactly `amount` distinct signed notifications as fast as the target takes them. Timed from
 * the start to the last response: autocannon itself notices the end only at its next 1 s tick.
 */
export async function sendAmount(target, path, { connections, amount }) {
  const source = requestSource(amount);
  let lastResponse = 0;
  const started = performance.now();
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: target.url + path, connections, amount, requests: [{ setupRequest: source.setupRequest }] },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', () => (lastResponse = performance.now()));
  });
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: ((lastResponse || performance.now()) - started) / 1000,
  };
}

/**
 * Sends distinct notifications at a fixed `rate` per second for `seconds`, each signed the moment it
 * is sent (the consumer measures latency from its Twitch timestamp); for latency, not throughput.
 * Returns how many were answered 2xx.
 */
export async function paced(target, path, { rate, seconds }) {
  const agent = new Agent({ connections: 10 });
  const started = performance.now();
  let ok = 0;
  const inFlight = [];
  for (let i = 0; i < rate * seconds; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { body, headers } = signedFollow();
    inFlight.push(
      request(target.url + path, { method: 'POST', headers, body, dispatcher: agent }).then(async (res) => {
        await res.body.dump();
        if (res.statusCode < 300) ok++;
      }),
    );
  }
  await Promise.all(inFlight);
  await agent.close();
  return ok;
}
