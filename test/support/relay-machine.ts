import { expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './nginx-fixture.js';
import { bootNspawnMachine, type ExecResult, type NspawnMachine } from './nspawn-machine.js';
import { freePort } from './relay-process.js';
import { waitFor } from './wait-for.js';

export const UNIT_NAME = 'eventsub-relay.service';
export const PREFIX = '/opt/eventsub-relay';
export const STATE_DIR = '/var/lib/eventsub-relay';
export const ENV_FILE = '/etc/eventsub-relay/env';
export const WRAPPER = '/usr/local/bin/eventsub-relay';
/** Where the checkout is bound inside: under /root, which ProtectHome=yes hides from the service. */
export const CHECKOUT = '/root/eventsub-relay';
/** The name install.sh is given (PUBLIC_URL becomes https://<it>). */
export const DOMAIN = 'eventsub.example.com';
/** install.sh's steps that need no network and no certificate: everything but packages, TLS, DNS. */
export const FILE_STEPS = 'user,app,env,unit,wrapper';
/** The environment install.sh runs with inside (jest's NODE_OPTIONS etc. must not leak in). */
const INSTALL_ENV = ['env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8'];

/** A booted container with the relay installed by deploy/install.sh itself. */
export interface RelayMachine {
  machine: NspawnMachine;
  /** http://127.0.0.1:<PORT> (the container shares the host's network). */
  base: string;
  /** What the first install.sh run inside printed. */
  installOutput: string;
  /** Runs deploy/install.sh inside (from the checkout at CHECKOUT) with --domain and these args. */
  install(args: string[]): ExecResult;
  /** The env file's value of KEY, read from the container's root. */
  envValue(key: string): string | undefined;
  /** `systemctl show` properties of the relay unit, plus its journal so a failed match explains itself. */
  unitState(...properties: string[]): Record<string, string>;
  /** The relay unit's journal (message text only). */
  journal(): string;
  /** Runs `systemctl <args> eventsub-relay.service`; throws with the journal unless it exits 0. */
  systemctl(...args: string[]): void;
  /** Resolves once GET /healthz answers 200 (Type=simple counts the unit started before node listens). */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Writes a runtime drop-in (/run/systemd/system/<unit>.d/<name>.conf) and reloads; returns its remover. */
  dropIn(name: string, content: string): () => void;
}

/**
 * deploy/install.sh's app step run on this host into a cache prefix, reused across runs: `npm ci
 * --omit=dev` compiles better-sqlite3 for about a minute, and install.sh itself skips it while
 * package.json and the lockfile are unchanged (and re-copies dist/ when the build changed).
 */
export function prepareAppInstall(): string {
  const key = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
  const prefix = join(tmpdir(), `eventsub-relay-app-${key}`);
  const r = spawnSync(
    join(REPO_ROOT, 'deploy', 'install.sh'),
    ['--domain', DOMAIN, '--only', 'app', '--prefix', prefix],
    { encoding: 'utf8', timeout: 300_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
  if (r.status !== 0) throw new Error(`install.sh --only app exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return prefix;
}

/**
 * Boots systemd-nspawn and installs the relay the way a user does: deploy/install.sh, run inside as
 * root from the checkout (bound read-only at CHECKOUT, under /root), with `--only ${FILE_STEPS}`.
 * /opt/eventsub-relay starts as a copy of prepareAppInstall()'s result (as after an earlier run), so
 * the app step inside compares and keeps it instead of compiling again. Before that, the env file
 * holds only PORT (a free port: the container shares the host's network and 8080 may be taken) and
 * `extraEnv`: install.sh must keep those lines. Not started yet.
 */
export async function bootRelayMachine(
  options: { installArgs?: string[]; extraEnv?: Record<string, string> } = {},
): Promise<RelayMachine> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = prepareAppInstall();
  const envLines = Object.entries({ PORT: String(port), ...options.extraEnv })
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
  const machine = await bootNspawnMachine({
    files: [{ path: ENV_FILE, content: envLines, mode: 0o600 }],
    bindReadOnly: [{ host: realpathSync(REPO_ROOT), inside: CHECKOUT }],
  });
  const journal = () =>
    machine.exec(['journalctl', '--unit', UNIT_NAME, '--no-pager', '--output=cat']).stdout;
  const must = (args: string[]) => {
    const r = machine.exec(args, 30_000);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}\n${journal()}`);
  };
  const install = (args: string[]) =>
    machine.exec([...INSTALL_ENV, `${CHECKOUT}/deploy/install.sh`, '--domain', DOMAIN, ...args], 120_000);
  let installOutput = '';
  try {
    const copy = spawnSync('cp', ['-a', `${app}/.`, join(machine.root, PREFIX)], { encoding: 'utf8' });
    if (copy.status !== 0) throw new Error(`copying the app install failed: ${copy.stderr}`);
    const first = install(['--only', FILE_STEPS, ...(options.installArgs ?? [])]);
    if (first.status !== 0)
      throw new Error(`install.sh exited ${first.status}:\n${first.stdout}${first.stderr}`);
    installOutput = first.stdout;
  } catch (error) {
    await machine.destroy();
    throw error;
  }
  return {
    machine,
    base,
    installOutput,
    install,
    envValue(key) {
      const text = readFileSync(join(machine.root, ENV_FILE), 'utf8');
      return new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1];
    },
    journal,
    unitState(...properties) {
      const show = machine.exec([
        'systemctl',
        'show',
        UNIT_NAME,
        ...properties.map((p) => `--property=${p}`),
      ]);
      const lines = show.stdout.trim().split('\n');
      const state = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
      return { ...state, journal: journal() };
    },
    systemctl: (...args) => must(['systemctl', ...args, UNIT_NAME]),
    waitHealthy: (timeoutMs = 20_000) =>
      waitFor(
        () =>
          fetch(`${base}/healthz`).then(
            (res) => res.status === 200,
            () => false,
          ),
        timeoutMs,
        `GET ${base}/healthz to answer 200`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; journal:\n${journal()}`);
      }),
    dropIn(name, content) {
      const path = `/run/systemd/system/${UNIT_NAME}.d/${name}.conf`;
      must(['sh', '-c', `mkdir -p "$(dirname "$1")" && printf '%s' "$2" > "$1"`, 'sh', path, content]);
      must(['systemctl', 'daemon-reload']);
      return () => {
        must(['rm', '-f', path]);
        must(['systemctl', 'daemon-reload']);
      };
    },
  };
}

/** install.sh's steps for a real run here: the file steps plus starting (or restarting) the service. */
export const RUN_STEPS = `${FILE_STEPS},service`;

/**
 * bootRelayMachine, then the last step of a user's first run (install.sh's service step, which
 * enables, starts and waits for /healthz). Throws with install.sh's output unless it started.
 */
export async function bootRunningRelay(
  options: Parameters<typeof bootRelayMachine>[0] = {},
): Promise<RelayMachine> {
  const relay = await bootRelayMachine(options);
  const run = relay.install(['--only', RUN_STEPS, ...(options.installArgs ?? [])]);
  const healthy = /healthy: GET http:\/\/127\.0\.0\.1:\d+\/healthz answered 200/.test(run.stdout);
  if (run.status !== 0 || !run.stdout.includes(`started ${UNIT_NAME}`) || !healthy) {
    await relay.machine.destroy();
    throw new Error(`install.sh did not start the relay (${run.status}):\n${run.stdout}${run.stderr}`);
  }
  return relay;
}

/**
 * Asserts, from the unit's journal, that the last stop was SIGTERM → graceful shutdown → exit 0.
 * The journal rather than `systemctl show ExecMainCode`: systemd unloads an inactive unit nothing
 * references, and a reloaded unit shows ExecMainCode=0/ExecMainPID=0 (seen here), so that check races.
 * systemd logs "Main process exited, code=…" and "Failed with result" only for an unclean end.
 */
export async function expectCleanStop(journal: () => string): Promise<void> {
  const lastRun = () => {
    const text = journal();
    return text.slice(text.lastIndexOf('Started eventsub-relay.service'));
  };
  // journald gets the lines asynchronously: `systemctl stop` can return before they are readable.
  await waitFor(
    () => lastRun().includes('Stopped eventsub-relay.service'),
    10_000,
    'the journal to show the stop',
  );
  expect(lastRun()).toMatch(/"signal":"SIGTERM".*shutting down[\s\S]*stopped cleanly/);
  expect(lastRun()).toMatch(/Deactivated successfully[\s\S]*Stopped eventsub-relay\.service/);
  expect(lastRun()).not.toMatch(/Main process exited|Failed with result|code=killed|code=exited/);
}
