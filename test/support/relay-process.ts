import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { withTestStore } from './process-store.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The built CLI (`npm test` builds first), run as a real child process. */
export const CLI_PATH = join(here, '..', '..', 'dist', 'cli', 'main.js');

/**
 * A free TCP port on 127.0.0.1, for a process the test starts (which binds it later). Not from the
 * kernel's ephemeral range (32768–60999 here), where every `listen(0)` and outgoing connection of
 * the other jest workers takes ports at any moment: a port found free there can be taken before the
 * child binds it. Each worker walks a block of its own below that range instead.
 */
const PORT_BLOCK = 1000;
const FIRST_PORT = 16000;
let nextInBlock = 0;
export async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const base = FIRST_PORT + ((worker - 1) % 16) * PORT_BLOCK;
  for (let tried = 0; tried < PORT_BLOCK; tried++) {
    const port = base + (nextInBlock++ % PORT_BLOCK);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${base}–${base + PORT_BLOCK - 1}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface RelayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Runs `eventsub-relay <args>` to completion; returns exit code, stdout and stderr. On PostgreSQL
 * runs it gets the STORE_URL of its DATA_DIR (see process-store.ts), as startRelayProcess does.
 */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  options: { cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const storeEnv = await withTestStore(env, options.cwd);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd,
      env: cleanEnv(storeEnv),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Environment for a child: PATH and HOME from ours, nothing else leaks in (no stray .env values). */
export function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info' };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) base[key] = value;
  return base;
}

/** Starts `eventsub-relay serve` and resolves once it answers GET /healthz. */
export async function startRelayProcess(
  env: Record<string, string | undefined>,
  options: { cwd?: string } = {},
): Promise<RelayProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const storeEnv = await withTestStore(env, options.cwd);
  const child = spawn(process.execPath, [CLI_PATH, 'serve'], {
    cwd: options.cwd,
    env: cleanEnv({ ...storeEnv, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | string | undefined;
  void exited.then((code) => (exitCode = code));
  const url = `http://127.0.0.1:${port}`;
  // Ready = /healthz answers (independent of LOG_LEVEL); give up if the process exits first.
  for (const started = Date.now(); ;) {
    if (exitCode !== undefined) throw new Error(`relay exited (${exitCode}) before listening:\n${output}`);
    if (Date.now() - started > 15_000)
      throw new Error(`relay did not answer /healthz within 15 s:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, url, output: () => output, exited };
}
