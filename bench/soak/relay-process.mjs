// Runs `eventsub-relay serve` for the soak: started on one fixed port and DATA_DIR, so a relay
// killed with SIGKILL comes back on the same address with the same store.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Starts the relay and resolves once /healthz answers (rejects if it exits first). */
export async function startSoakRelay(port, env) {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  for (const started = Date.now(); ;) {
    if (exited)
      throw new Error(`the relay exited (${child.exitCode ?? child.signalCode}) before it listened`);
    if (Date.now() - started > 30_000) throw new Error('the relay did not answer /healthz within 30 s');
    if ((await healthzStatus(port)) === 200) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * GET /healthz on a connection of its own, closed after the answer: the probe must not leave
 * sockets in the relay to count as its file descriptors. 0 when nothing answers yet.
 */
function healthzStatus(port) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Current resident set size (MiB) and open file descriptors of `pid`, from /proc; undefined once gone. */
export function processFootprint(pid) {
  try {
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    // A killed process being torn down (its files closed, its memory going) or not yet reaped is gone too.
    if (fds === 0 || rss < 1024) return undefined;
    return { rssMiB: rss / 1024, fds };
  } catch {
    return undefined;
  }
}

/** Sends `signal` and waits for the process to be gone. */
export function stopProcess(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill(signal);
  });
}
