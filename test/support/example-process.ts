import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './relay-process.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One of examples/*.mjs run as its own process, its output kept for assertions. */
export interface ExampleProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Message ids (UUIDs) in stdout, one per processed event, in order. */
  printedIds: () => string[];
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;

/** Runs `node examples/<file> <args>` from the repo root (so its imports resolve) with only `env` set. */
export function runExample(file: string, args: string[], env: Record<string, string> = {}): ExampleProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'examples', file), ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    printedIds: () =>
      stdout
        .split('\n')
        .map((line) => UUID.exec(line)?.[0])
        .filter((id): id is string => id !== undefined),
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
