/**
 * deploy/systemd/eventsub-relay.service booted for real: systemd 252 as PID 1 in systemd-nspawn.
 *
 * How (see test/support/nspawn-machine.ts): the container's root is a copy-on-write overlay of this
 * machine's own `/` (host /usr, /usr/bin/node and systemd reused, nothing downloaded), booted with
 * `systemd-nspawn --boot --register=no --keep-unit --link-journal=no` into a target that pulls only
 * sysinit.target. The relay is installed by deploy/install.sh itself, run inside as root from the
 * checkout bound read-only under /root (which ProtectHome=yes hides from the service: the install must
 * be self-contained), with every step but packages, certificate, nginx and ddclient. The code in
 * /opt/eventsub-relay is install.sh's own `npm ci --omit=dev` install (see relay-machine.ts). The only
 * deviation from production: PORT (a free port) is pre-set in /etc/eventsub-relay/env, which
 * install.sh must keep. The container shares the host's network namespace, so 8080 may be taken.
 *
 * What did not work here, and what replaced it:
 * - `machinectl shell` / `systemctl -M` / `systemd-run -M`: the host has no systemd (PID 1 is not
 *   systemd, no machined, no system bus), so the container cannot be registered. Commands run inside
 *   via `nsenter --target <container PID 1> --all`, i.e. in all of its namespaces, as machinectl would.
 * - `--private-network`: would hide the relay's 127.0.0.1 from the host. Shared networking lets the
 *   host send the HTTP requests itself; booting only sysinit.target keeps the host's enabled services
 *   (postgres, redis, nginx…) from starting in the container and clashing over ports.
 * - `-D /` and `-D / --volatile=overlay` are refused by nspawn 252 ("Spawning container on root
 *   directory is not supported. Consider using --ephemeral, --volatile=yes or --volatile=state").
 *   `-D / --volatile=yes` runs, but its / is a tmpfs with only the host's /usr: no /etc (no passwd, no
 *   unit dir) to install into. `--overlay=/:<upper>:/` needs a `-D` that already holds an OS tree
 *   ("/usr/ directory is missing. Refusing"). `--ephemeral` would copy all of / (ext4, no btrfs
 *   snapshot). Hence an explicit `mount -t overlay` with lowerdir=/ as the container's -D.
 *
 * The steps below run in order against one booted container (boot ≈ 1 s). The seccomp filter is
 * checked with denied syscalls killing instead of returning EPERM in systemd-nspawn-seccomp.test.ts;
 * the CLI wrapper in systemd-nspawn-cli.test.ts; the certificate and nginx steps in
 * systemd-nspawn-certificate.test.ts.
 * Needs root and the systemd-container package (.ci/services installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import { REPO_ROOT } from '../support/nginx-fixture.js';
import {
  bootRunningRelay,
  CHECKOUT,
  ENV_FILE,
  expectCleanStop,
  PREFIX,
  RUN_STEPS,
  STATE_DIR,
  UNIT_NAME,
  type RelayMachine,
} from '../support/relay-machine.js';
import { followNotification, signedRequest } from '../support/sign.js';

const CLIENT = { id: 'test-client-id', secret: 'test-client-secret-not-printed' };
const credentials = ['--twitch-client-id', CLIENT.id, '--twitch-client-secret', CLIENT.secret];
let acceptedId = '';
let rejectedId = '';
let relay: RelayMachine;
let machine: RelayMachine['machine'];
let base: string;
const unitState = (...properties: string[]) => relay.unitState(...properties);
const journal = () => relay.journal();
const mainPid = (): string => unitState('MainPID').MainPID ?? '';
/** install.sh run again as a user would (every file step plus the service step). */
const reinstall = (...extra: string[]) => relay.install(['--only', RUN_STEPS, ...extra]);
const post = (req: { headers: Record<string, string>; body: string }) =>
  fetch(`${base}/callback`, { method: 'POST', headers: req.headers, body: req.body });

beforeAll(async () => {
  relay = await bootRunningRelay({ installArgs: credentials });
  ({ machine, base } = relay);
}, 300_000);

afterAll(async () => {
  await relay?.machine.destroy();
}, 20_000);

describe('deploy/install.sh inside the container: a self-contained install', () => {
  it('installed the code as a root-owned copy with production dependencies only', () => {
    const root = machine.root;
    const modules = join(root, PREFIX, 'node_modules');
    expect(statSync(modules).isDirectory()).toBe(true);
    expect(machine.exec(['test', '-L', `${PREFIX}/node_modules`]).status).not.toBe(0); // no link into the checkout
    for (const path of ['', 'node_modules', 'dist/cli/main.js', 'package-lock.json']) {
      const stat = statSync(join(root, PREFIX, path));
      expect({ path, uid: stat.uid, other: stat.mode & 0o007 }).toEqual({
        path,
        uid: 0,
        // Readable by all, writable by root only; the package's bin (made executable by the build,
        // as npm link and npx also do) and folders are executable too.
        other: stat.isDirectory() || path === 'dist/cli/main.js' ? 0o005 : 0o004,
      });
    }
    expect(readFileSync(join(root, PREFIX, 'package-lock.json'), 'utf8')).toBe(
      readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'),
    );
    for (const devOnly of ['jest', 'typescript', 'eslint', 'prettier'])
      expect(machine.exec(['test', '-e', `${PREFIX}/node_modules/${devOnly}`]).status).not.toBe(0);
    expect(machine.exec(['test', '-d', `${PREFIX}/node_modules/better-sqlite3`]).status).toBe(0);
    expect(relay.installOutput).toContain(`unchanged: ${PREFIX}/node_modules`);
  });

  it('runs although the checkout is invisible to the service (ProtectHome=yes hides /root)', () => {
    const pid = mainPid();
    expect(machine.exec(['test', '-f', `${CHECKOUT}/package.json`]).status).toBe(0);
    const seen = machine.exec(['nsenter', '--target', pid, '--mount', '--', 'ls', CHECKOUT]);
    expect(seen.status).not.toBe(0);
  });

  it('wrote the env file 0640 root:eventsub-relay with PUBLIC_URL and the credentials, keeping PORT', () => {
    const stat = statSync(join(machine.root, ENV_FILE));
    const gid = Number(machine.exec(['id', '-g', 'eventsub-relay']).stdout.trim());
    expect({ mode: stat.mode & 0o777, uid: stat.uid, gid: stat.gid }).toEqual({ mode: 0o640, uid: 0, gid });
    expect(relay.envValue('PUBLIC_URL')).toBe('https://eventsub.example.com');
    expect(relay.envValue('TWITCH_CLIENT_ID')).toBe(CLIENT.id);
    expect(relay.envValue('TWITCH_CLIENT_SECRET')).toBe(CLIENT.secret);
    expect(relay.envValue('EVENTSUB_SECRET')).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(base).port).toBe(relay.envValue('PORT'));
    expect(relay.installOutput).not.toContain(CLIENT.secret);
    expect(relay.installOutput).not.toContain(relay.envValue('EVENTSUB_SECRET')!);
  });
});

describe('eventsub-relay.service under systemd 252 as PID 1 (systemd-nspawn)', () => {
  it('is enabled and active (running) with its hardening in force (Node 20 survives the seccomp filter)', () => {
    const state = unitState('ActiveState', 'SubState', 'UnitFileState', 'MainPID', 'NRestarts');
    expect(state).toMatchObject({
      ActiveState: 'active',
      SubState: 'running',
      UnitFileState: 'enabled',
      NRestarts: '0',
    });
    const status = machine.exec(['cat', `/proc/${state.MainPID}/status`]).stdout;
    const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1];
    const uid = machine.exec(['id', '-u', 'eventsub-relay']).stdout.trim();
    expect({
      Uid: field('Uid'),
      NoNewPrivs: field('NoNewPrivs'),
      Seccomp: field('Seccomp'), // 2 = filter mode
      CapEff: field('CapEff'),
      CapBnd: field('CapBnd'),
    }).toEqual({
      Uid: uid,
      NoNewPrivs: '1',
      Seccomp: '2',
      CapEff: '0000000000000000',
      CapBnd: '0000000000000000',
    });
    expect(uid).not.toBe('0');
  });

  it('answers GET /healthz with 200 on 127.0.0.1', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the dashboard and the overlay from the installed copy (src/dashboard/, examples/overlay/)', async () => {
    const dashboard = await fetch(`${base}/dashboard/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<script type="module"');
    expect((await fetch(`${base}/dashboard/app.js`)).status).toBe(200);
    expect((await fetch(`${base}/overlay/`)).status).toBe(200);
  });

  it('accepts a notification signed with EVENTSUB_SECRET from the env file (204), rejects a wrong one (403)', async () => {
    const secret = relay.envValue('EVENTSUB_SECRET')!;
    const good = signedRequest(secret, followNotification());
    expect((await post(good)).status).toBe(204);
    acceptedId = good.messageId;
    const bad = signedRequest(`${secret}-not-it`, followNotification());
    expect((await post(bad)).status).toBe(403);
    rejectedId = bad.messageId;
  });

  it('keeps a 0700 StateDirectory owned by the service user; no secret in the journal', () => {
    const uid = Number(machine.exec(['id', '-u', 'eventsub-relay']).stdout.trim());
    const dir = statSync(join(machine.root, STATE_DIR));
    expect({ mode: dir.mode & 0o777, uid: dir.uid }).toEqual({ mode: 0o700, uid });
    expect(journal()).not.toContain(relay.envValue('EVENTSUB_SECRET'));
    expect(journal()).not.toContain(CLIENT.secret);
  });
});

describe('re-running install.sh: changes nothing unless something changed, then reloads and restarts', () => {
  const restarted = async (run: { status: number | null; stdout: string; stderr: string }, pid: string) => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`restarted ${UNIT_NAME}`);
    await relay.waitHealthy();
    expect(mainPid()).not.toBe(pid);
  };

  it('a second identical run changes nothing, says so, and does not restart', () => {
    const pid = mainPid();
    const again = reinstall(...credentials);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('done: nothing changed');
    expect(again.stdout).toContain('not restarted');
    expect(again.stdout).not.toMatch(/^\s+(created|updated):/m);
    expect(mainPid()).toBe(pid);
  });

  it('a changed unit file is rewritten, daemon-reloaded and the service restarted', async () => {
    const pid = mainPid();
    machine.exec(['sh', '-c', `echo '# edited by hand' >> /etc/systemd/system/${UNIT_NAME}`]);
    expect(unitState('NeedDaemonReload')).toMatchObject({ NeedDaemonReload: 'yes' });
    const run = reinstall();
    expect(run.stdout).toContain(`updated: /etc/systemd/system/${UNIT_NAME}`);
    expect(run.stdout).toContain('systemctl daemon-reload');
    await restarted(run, pid);
    expect(unitState('NeedDaemonReload')).toMatchObject({ NeedDaemonReload: 'no' });
    expect(readFileSync(join(machine.root, 'etc/systemd/system', UNIT_NAME), 'utf8')).not.toContain(
      'by hand',
    );
  });

  it('changed code in /opt is replaced from the build and the service restarted', async () => {
    const pid = mainPid();
    machine.exec(['sh', '-c', `echo '// stale' >> ${PREFIX}/dist/cli/main.js`]);
    const run = reinstall();
    expect(run.stdout).toContain(`updated: ${PREFIX}/dist`);
    await restarted(run, pid);
    expect(readFileSync(join(machine.root, PREFIX, 'dist/cli/main.js'), 'utf8')).toBe(
      readFileSync(join(REPO_ROOT, 'dist/cli/main.js'), 'utf8'),
    );
  });

  it('a new --twitch-client-id updates only that value in the env file and restarts', async () => {
    const pid = mainPid();
    const before = readFileSync(join(machine.root, ENV_FILE), 'utf8');
    const run = reinstall('--twitch-client-id', 'another-client-id');
    expect(run.stdout).toContain(`updated: ${ENV_FILE}`);
    await restarted(run, pid);
    const after = readFileSync(join(machine.root, ENV_FILE), 'utf8');
    expect(after).toBe(before.replace(`TWITCH_CLIENT_ID=${CLIENT.id}`, 'TWITCH_CLIENT_ID=another-client-id'));
  });
});

describe('stopping', () => {
  it('stops cleanly on `systemctl stop`: SIGTERM, exit 0, inactive and not failed', async () => {
    const stop = machine.exec(['systemctl', 'stop', UNIT_NAME], 30_000);
    expect(stop).toMatchObject({ status: 0 });
    await expectCleanStop(journal);
    expect(unitState('ActiveState')).toMatchObject({ ActiveState: 'inactive' });
    expect(machine.exec(['systemctl', 'is-failed', '--quiet', UNIT_NAME]).status).not.toBe(0);
  });

  it('a configuration error (exit 78) leaves the unit failed instead of restarting it every 2 s', async () => {
    const removeDropIn = relay.dropIn('bad-config', '[Service]\nEnvironment=LOG_LEVEL=loud\n');
    try {
      machine.exec(['systemctl', 'start', UNIT_NAME], 30_000);
      const failed = () => unitState('ActiveState').ActiveState === 'failed';
      for (const deadline = Date.now() + 20_000; !failed() && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 200));
      // Past RestartSec=2s: Restart=on-failure would have started it again by now.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(unitState('ActiveState', 'ExecMainStatus', 'NRestarts')).toMatchObject({
        ActiveState: 'failed',
        ExecMainStatus: '78',
        NRestarts: '0',
      });
      expect(journal()).toContain('configuration error: LOG_LEVEL');
    } finally {
      removeDropIn();
      machine.exec(['systemctl', 'reset-failed', UNIT_NAME]);
    }
  });

  it('stored the accepted notification (and not the rejected one) in StateDirectory', async () => {
    const store = await openStore(`sqlite:${join(machine.root, STATE_DIR, 'eventsub-relay.sqlite')}`);
    try {
      expect((await store.getEvent(acceptedId))?.envelope).toMatchObject({ id: acceptedId });
      expect(await store.getEvent(rejectedId)).toBeNull();
      expect(await store.countEvents()).toBe(1);
    } finally {
      await store.close();
    }
  });
});
