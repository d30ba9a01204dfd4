// Starts one benchmark target in its own process on 127.0.0.1 and waits until it answers.
import { fork } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Forks `script` with `args` and `env`; resolves once it says 'ready' (IPC) or answers HTTP. */
export async function startTarget(script, { args = [], env = {}, probePath, execArgv = [] } = {}) {
  const port = await freePort();
  const child = fork(script, args, {
    execArgv,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    child.once('message', (message) => message === 'ready' && resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
  if (probePath) {
    ready.catch(() => undefined); // readiness comes from HTTP; exit is reported by the probe loop's caller
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}${probePath}`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } else {
    await ready;
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    ask(message) {
      return new Promise((resolve) => {
        child.once('message', resolve);
        child.send(message);
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
