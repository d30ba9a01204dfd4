/**
 * deploy/systemd/eventsub-relay.service booted for real: systemd 252 as PID 1 in systemd-nspawn.
 *
 * How (see test/support/nspawn-machine.ts): the container's root is a copy-on-write overlay of this
 * machine's own `/` (host /usr, /usr/bin/node and systemd reused, nothing downloaded), booted with
 * `systemd-nspawn --boot --register=no --keep-unit --link-journal=no` into a target that pulls only
 * sysinit.target. The shipped unit is installed unchanged at /etc/systemd/system/, the user is made
 * exactly as deploy/install.sh makes it, and the build is bind-mounted read-only where the unit expects
 * it (/opt/eventsub-relay/{dist,package.json,node_modules}). No drop-in: the only deviation from
 * production is PORT in /etc/eventsub-relay/env (EnvironmentFile= overrides the unit's Environment=),
 * because the container shares the host's network namespace and 8080 may be taken on the host.
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
 * checked with denied syscalls killing instead of returning EPERM in systemd-nspawn-seccomp.test.ts.
 * Needs root and the systemd-container package (.ci/services installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import {
  bootRelayMachine,
  expectCleanStop,
  STATE_DIR,
  UNIT_NAME,
  type RelayMachine,
} from '../support/relay-machine.js';
import { followNotification, signedRequest } from '../support/sign.js';

let relay: RelayMachine;
let machine: RelayMachine['machine'];
let base: string;
const unitState = (...properties: string[]) => relay.unitState(...properties);
const journal = () => relay.journal();

beforeAll(async () => {
  relay = await bootRelayMachine();
  ({ machine, base } = relay);
  relay.systemctl('enable', '--now'); // as install.sh's last step
  await relay.waitHealthy();
}, 45_000);

afterAll(async () => {
  await relay?.machine.destroy();
}, 20_000);

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

  let acceptedId = '';
  let rejectedId = '';
  it('accepts a notification signed with the secret from StateDirectory (204) and rejects a wrong signature (403)', async () => {
    const secret = readFileSync(join(machine.root, STATE_DIR, 'eventsub-secret'), 'utf8').trim();
    const good = signedRequest(secret, followNotification());
    const accepted = await fetch(`${base}/callback`, {
      method: 'POST',
      headers: good.headers,
      body: good.body,
    });
    expect(accepted.status).toBe(204);
    acceptedId = good.messageId;

    const bad = signedRequest(`${secret}-not-it`, followNotification());
    const rejected = await fetch(`${base}/callback`, {
      method: 'POST',
      headers: bad.headers,
      body: bad.body,
    });
    expect(rejected.status).toBe(403);
    rejectedId = bad.messageId;
  });

  it('keeps a 0700 StateDirectory owned by the service user with the generated secret at 0600', () => {
    const uid = Number(machine.exec(['id', '-u', 'eventsub-relay']).stdout.trim());
    const dir = statSync(join(machine.root, STATE_DIR));
    const secret = statSync(join(machine.root, STATE_DIR, 'eventsub-secret'));
    expect({ mode: dir.mode & 0o777, uid: dir.uid }).toEqual({ mode: 0o700, uid });
    expect({ mode: secret.mode & 0o777, uid: secret.uid }).toEqual({ mode: 0o600, uid });
    expect(journal()).not.toContain(
      readFileSync(join(machine.root, STATE_DIR, 'eventsub-secret'), 'utf8').trim(),
    );
  });

  it('stops cleanly on `systemctl stop`: SIGTERM, exit 0, inactive and not failed', async () => {
    const stop = machine.exec(['systemctl', 'stop', UNIT_NAME], 30_000);
    expect(stop).toMatchObject({ status: 0 });
    await expectCleanStop(journal);
    expect(unitState('ActiveState')).toMatchObject({ ActiveState: 'inactive' });
    expect(machine.exec(['systemctl', 'is-failed', '--quiet', UNIT_NAME]).status).not.toBe(0);
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
