import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { CLI_PATH, cleanEnv } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The CLI loads only what the command runs (a guard on start-up cost that is not a timed test):
 * each command runs under a module hook that records every module Node loads, and the packages a
 * command has no use for must not be among them.
 */

const TRACE = fileURLToPath(new URL('../support/module-trace/register.mjs', import.meta.url));
const dir = tempDir();
afterAll(() => dir.cleanup());

/** What the server, the sinks, Twitch's clients and the config schemas bring. */
const HEAVY = [
  '@twurple/',
  'pg',
  'ioredis',
  'nats',
  'express',
  'helmet',
  'pino',
  'pino-pretty',
  'prom-client',
  'ws',
  'undici',
  'yaml',
  'zod',
  'better-sqlite3',
];

let runs = 0;

/** Runs the CLI with `args`; resolves with its exit code and the packages (node_modules names) it loaded. */
function loadedBy(args: string[], env: Record<string, string> = {}) {
  const file = join(dir.path, `trace-${++runs}.txt`);
  return new Promise<{ code: number | null; packages: Set<string>; ours: string[] }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, CLI_PATH, ...args], {
      cwd: dir.path,
      env: cleanEnv({ MODULE_TRACE_FILE: file, DATA_DIR: join(dir.path, 'data'), ...env }),
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const packages = new Set(
        lines.flatMap((line) => {
          const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
          return match ? [match[1]!] : [];
        }),
      );
      const ours = lines.filter((line) => line.includes('/dist/') && !line.includes('node_modules'));
      resolve({ code, packages, ours });
    });
  });
}

/** The heavy packages among `packages` (a scope such as `@twurple/` matches each of its packages). */
const heavyIn = (packages: Set<string>, allowed: string[] = []) =>
  [...packages].filter(
    (name) =>
      !allowed.includes(name) &&
      HEAVY.some((heavy) => (heavy.endsWith('/') ? name.startsWith(heavy) : name === heavy)),
  );

describe('the CLI loads only what the command needs', () => {
  it.each(['--version', '--help', 'events --help', 'types'])(
    '`%s` loads commander and none of the server, store, config or Twitch packages',
    async (command) => {
      const { code, packages, ours } = await loadedBy(command.split(' '));
      expect(code).toBe(0);
      // The trace saw the CLI (so an empty list below is a finding, not a broken hook).
      expect(packages).toContain('commander');
      expect(ours.some((url) => url.endsWith('/cli/main.js'))).toBe(true);
      expect(heavyIn(packages)).toEqual([]);
      // No part of the relay itself either: no store, server, delivery or Twitch client code.
      expect(
        ours.filter((url) => /\/dist\/(store|server|delivery|sinks|relay|subscriptions|auth)\//.test(url)),
      ).toEqual([]);
    },
  );

  it('`events list` on a SQLite store loads SQLite and the env schema, not PostgreSQL, Twitch or the server', async () => {
    const dataDir = join(dir.path, 'with-store');
    mkdirSync(dataDir);
    await SqliteStore.open(join(dataDir, 'eventsub-relay.sqlite')).close();
    const { code, packages } = await loadedBy(['events', 'list'], { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(packages).toContain('better-sqlite3');
    expect(heavyIn(packages, ['zod', 'better-sqlite3'])).toEqual([]);
  });

  it('`trigger` loads no store, server or Twitch client', async () => {
    // Nothing listens on port 9 (discard): the answer is an error, the imports are those of a send.
    const { packages } = await loadedBy(
      ['trigger', 'channel.follow', '--to', 'http://127.0.0.1:9/callback'],
      {
        EVENTSUB_SECRET: 'trigger-secret-0123456789',
      },
    );
    expect(packages).toContain('zod');
    expect(heavyIn(packages, ['zod'])).toEqual([]);
  });
});
