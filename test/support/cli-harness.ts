import { afterEach, beforeEach, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { FakeTwitch } from './fake-twitch.js';
import { CLI_PATH, cleanEnv, freePort, runCli } from './relay-process.js';
import { tempDir } from './temp-dir.js';

export const BROADCASTER = { id: '1337', login: 'streamer' };
export const CALLBACK = 'https://relay.example.com/callback';

/** A fresh fake Twitch and DATA_DIR per test, and the CLI run as a real process against them. */
export interface CliHarness {
  readonly twitch: FakeTwitch;
  readonly dir: string;
  env(extra?: Record<string, string>): Record<string, string>;
  cli(
    args: string[],
    extra?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Seeds the broadcaster with a token of these scopes at the fake and stores it with `auth add`. */
  authorize(scopes: string[]): Promise<void>;
}

/** Registers beforeEach/afterEach that start and stop the fake; use the returned harness inside tests. */
export function useCliHarness(): CliHarness {
  let twitch: FakeTwitch;
  let dir: { path: string; cleanup: () => void };
  beforeEach(async () => {
    // PUBLIC_URL here is a name nobody serves: no challenge, subscriptions stay pending.
    twitch = await new FakeTwitch({ callbacks: false }).start();
    dir = tempDir();
  });
  afterEach(async () => {
    await twitch.stop();
    dir.cleanup();
  });
  const harness: CliHarness = {
    get twitch() {
      return twitch;
    },
    get dir() {
      return dir.path;
    },
    env: (extra = {}) => ({
      DATA_DIR: dir.path,
      TWURPLE_MOCK_API_PORT: String(twitch.port),
      TWITCH_CLIENT_ID: twitch.clientId,
      TWITCH_CLIENT_SECRET: twitch.clientSecret,
      PUBLIC_URL: 'https://relay.example.com',
      EVENTSUB_SECRET: 'a-test-secret-1234567890',
      ...extra,
    }),
    cli: (args, extra) => runCli(args, harness.env(extra), { cwd: dir.path }),
    async authorize(scopes) {
      const token = twitch.addUser(BROADCASTER, scopes);
      const result = await harness.cli(['auth', 'add', '--access-token', token]);
      expect(result.stderr).toBe('note: no refresh token stored; when it expires, add a new token\n');
      expect(result.code).toBe(0);
    },
  };
  return harness;
}

/**
 * Runs `eventsub-relay auth login <args>` (authorization code flow) and plays the browser: opens
 * the printed URL at the fake, whose authorize page redirects back with a code for the scopes
 * asked. Resolves with the finished process's output and the URL it printed.
 */
export async function loginThroughBrowser(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string; url: URL }> {
  const redirectUri = `http://localhost:${await freePort()}`;
  const child = spawn(process.execPath, [CLI_PATH, 'auth', 'login', ...args], {
    cwd,
    env: cleanEnv({ ...env, TWITCH_REDIRECT_URI: redirectUri }),
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/localhost:\d+\/auth\/authorize\?\S+)/.exec(stdout);
      if (match) resolve(new URL(match[1]!));
    });
    void exited.then((code) =>
      reject(new Error(`auth login exited ${code} before printing a URL:\n${stderr}`)),
    );
  });
  const page = await fetch(url); // follows the fake's 302 to the CLI's redirect listener
  expect(page.status).toBe(200);
  return { code: await exited, stdout, stderr, url };
}
