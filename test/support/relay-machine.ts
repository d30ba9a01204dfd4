import { expect } from '@jest/globals';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './nginx-fixture.js';
import { bootNspawnMachine, type NspawnMachine } from './nspawn-machine.js';
import { freePort } from './relay-process.js';
import { waitFor } from './wait-for.js';

export const UNIT_NAME = 'eventsub-relay.service';
export const PREFIX = '/opt/eventsub-relay';
export const STATE_DIR = '/var/lib/eventsub-relay';

/** A booted container with the shipped unit installed as deploy/install.sh installs it. */
export interface RelayMachine {
  machine: NspawnMachine;
  /** http://127.0.0.1:<PORT> (the container shares the host's network). */
  base: string;
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
 * Boots systemd-nspawn with deploy/systemd/eventsub-relay.service unchanged in /etc/systemd/system,
 * the build bind-mounted read-only at /opt/eventsub-relay, the user created as install.sh creates it,
 * and /etc/eventsub-relay/env (0600) holding only PORT: a free port, because the container shares the
 * host's network and 8080 may be taken there (EnvironmentFile= overrides the unit's Environment=).
 * No EVENTSUB_SECRET, so the relay generates its secret into StateDirectory. Not started yet.
 */
export async function bootRelayMachine(): Promise<RelayMachine> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const machine = await bootNspawnMachine({
    files: [
      {
        path: `/etc/systemd/system/${UNIT_NAME}`,
        content: readFileSync(join(REPO_ROOT, 'deploy', 'systemd', UNIT_NAME), 'utf8'),
      },
      { path: '/etc/eventsub-relay/env', content: `PORT=${port}\n`, mode: 0o600 },
    ],
    bindReadOnly: [
      { host: join(REPO_ROOT, 'dist'), inside: `${PREFIX}/dist` },
      { host: join(REPO_ROOT, 'package.json'), inside: `${PREFIX}/package.json` },
      // node_modules may be a symlink (worktrees): bind its target, not the link.
      { host: realpathSync(join(REPO_ROOT, 'node_modules')), inside: `${PREFIX}/node_modules` },
    ],
  });
  const journal = () =>
    machine.exec(['journalctl', '--unit', UNIT_NAME, '--no-pager', '--output=cat']).stdout;
  const must = (args: string[]) => {
    const r = machine.exec(args, 30_000);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}\n${journal()}`);
  };
  try {
    must([
      'sh',
      '-c',
      'id -u eventsub-relay >/dev/null 2>&1 || useradd --system --home-dir /var/lib/eventsub-relay --shell /usr/sbin/nologin eventsub-relay',
    ]);
  } catch (error) {
    await machine.destroy();
    throw error;
  }
  return {
    machine,
    base,
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
