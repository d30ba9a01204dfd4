// One wrk run against a target process, with the target's CPU per request per thread and what the
// rest of the machine did meanwhile. Shared by bench/wrk.mjs (relay / twurple) and
// bench/compare-builds.mjs --wrk (two builds of the relay).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cpuSeconds,
  endedChildrenCpuSeconds,
  machineBusySeconds,
  threadCpuSeconds,
  threadGroupsBetween,
} from './process-stats.mjs';
import { signedFollow } from './sign.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** `count` distinct signed notifications as raw HTTP/1.1 requests, separated by ASCII RS for the Lua script. */
export function writePool(file, path, port, count) {
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

function wrk(url, file, seconds, connections) {
  return new Promise((resolve, reject) =>
    execFile(
      'wrk',
      [
        '-t1',
        `-c${connections}`,
        `-d${seconds}s`,
        '--latency',
        '-s',
        here('./wrk/pool.lua'),
        url,
        '--',
        file,
      ],
      { encoding: 'utf8' },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
}

/**
 * Warms the target up, then loads it for `seconds` with `pool` distinct requests (each sent once).
 * Returns req/s, p99, non-2xx answers, the target's CPU µs per request in all (`cpuMicros`) and per
 * thread group (`threads`: main, libuv-worker, V8 helpers, worker threads by name), and `others`:
 * the cores the rest of the machine kept busy meanwhile (everything but the target, wrk and this
 * process), which tells whether the figures can be trusted.
 */
export async function measureWithWrk(
  target,
  path,
  dir,
  { seconds = 10, warmupSeconds = 2, pool = 250_000, connections = 50 } = {},
) {
  const file = join(dir, 'pool');
  writePool(file, path, target.port, warmupSeconds * 20_000);
  await wrk(target.url + path, file, warmupSeconds, connections);
  writePool(file, path, target.port, pool);
  const pid = target.child.pid;
  const before = {
    cpu: cpuSeconds(pid),
    threads: threadCpuSeconds(pid),
    machine: machineBusySeconds(),
    wrk: endedChildrenCpuSeconds(),
    self: process.cpuUsage(),
    at: process.hrtime.bigint(),
  };
  const out = await wrk(target.url + path, file, seconds, connections);
  const threads = threadGroupsBetween(pid, before.threads, threadCpuSeconds(pid));
  const cpu = cpuSeconds(pid) - before.cpu;
  const wrkCpu = endedChildrenCpuSeconds() - before.wrk;
  const self = process.cpuUsage(before.self);
  const elapsed = Number(process.hrtime.bigint() - before.at) / 1e9;
  const others =
    (machineBusySeconds() - before.machine - cpu - wrkCpu - (self.user + self.system) / 1e6) / elapsed;
  const total = Number(/(\d+) requests in/.exec(out)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const perRequest = (secondsUsed) => (secondsUsed / total) * 1e6;
  return {
    requestsPerSecond: (total - non2xx) / seconds,
    p99: /99%\s+(\S+)/.exec(out)?.[1],
    non2xx,
    cpuMicros: perRequest(cpu),
    threads: new Map([...threads].map(([name, used]) => [name, perRequest(used)])),
    wrkCpuMicros: perRequest(wrkCpu),
    others: Math.max(0, others),
  };
}

/** "main 52, libuv-worker 9, V8 DefaultWorke 3" (µs per request; groups under 1 µs left out). */
export function threadSummary(threads) {
  const main = threads.get('main') ?? 0;
  const rest = [...threads]
    .filter(([name, micros]) => name !== 'main' && micros >= 1)
    .sort((a, b) => b[1] - a[1]);
  return [`main ${main.toFixed(0)}`, ...rest.map(([name, micros]) => `${name} ${micros.toFixed(0)}`)].join(
    ', ',
  );
}
