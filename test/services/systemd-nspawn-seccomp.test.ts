/**
 * The unit's SystemCallFilter, checked live under systemd 252 as PID 1 (systemd-nspawn; see
 * systemd-nspawn.test.ts for how the container is built and why).
 *
 * The shipped unit sets SystemCallErrorNumber=EPERM, so a syscall outside the filter returns EPERM
 * instead of killing the process: a filter that misses something Node needs would not crash, it would
 * fail somewhere later and quietly. Found here: with EPERM, Node 20 also runs with the filter *without*
 * pkey_alloc/pkey_free/pkey_mprotect (V8 just gets EPERM and carries on). So these tests turn the errno
 * off with a runtime drop-in (`SystemCallErrorNumber=` → the default, SIGSYS) and show that
 *  1. the shipped filter covers every syscall Node makes to start, serve and stop (no SIGSYS), and
 *  2. the pkey_* allowance is what makes the difference (without it: status=31/SYS).
 * `systemd-analyze verify` and `security --offline` pass both variants; only a real boot tells them apart.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bootRelayMachine, expectCleanStop, type RelayMachine } from '../support/relay-machine.js';
import { postSigned } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

const KILL_ON_DENIED = '[Service]\nSystemCallErrorNumber=\n';
const FILTER_WITHOUT_PKEY =
  '[Service]\nSystemCallFilter=\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\n';

let relay: RelayMachine;

beforeAll(async () => {
  relay = await bootRelayMachine();
}, 300_000);

afterAll(async () => {
  await relay?.machine.destroy();
}, 20_000);

describe('eventsub-relay.service seccomp filter, with denied syscalls killing (SIGSYS) instead of EPERM', () => {
  it('the shipped filter lets Node 20 start, accept a signed notification and stop cleanly', async () => {
    const remove = relay.dropIn('kill-on-denied', KILL_ON_DENIED);
    try {
      // systemd's SECCOMP_ERROR_NUMBER_KILL (INT_MAX - 1): denied syscalls kill the process.
      expect(relay.unitState('SystemCallErrorNumber')).toMatchObject({ SystemCallErrorNumber: '2147483646' });
      relay.systemctl('start');
      await relay.waitHealthy();
      const secret = relay.envValue('EVENTSUB_SECRET')!;
      expect((await postSigned(relay.base, secret)).status).toBe(204);
      relay.systemctl('stop');
      await expectCleanStop(() => relay.journal());
    } finally {
      remove();
    }
  });

  it('without pkey_alloc/pkey_free/pkey_mprotect Node 20 is killed with SIGSYS', async () => {
    const removeErrno = relay.dropIn('kill-on-denied', KILL_ON_DENIED);
    const removeFilter = relay.dropIn('without-pkey', FILTER_WITHOUT_PKEY);
    try {
      relay.systemctl('start', '--no-block'); // it may die before `start` would return
      // Restart=on-failure retries every 2 s; the first crash is what this is about.
      await waitFor(
        () => relay.unitState('ExecMainCode').ExecMainCode === '2',
        15_000,
        'the relay to be killed by a signal',
      ).catch((error: Error) => {
        throw new Error(
          `${error.message}: ${JSON.stringify(relay.unitState('ActiveState', 'ExecMainCode'))}`,
        );
      });
      expect(relay.unitState('ExecMainCode', 'ExecMainStatus', 'Result')).toMatchObject({
        ExecMainCode: '2', // CLD_KILLED
        ExecMainStatus: '31', // SIGSYS: a syscall outside SystemCallFilter
        Result: 'signal',
      });
      expect(relay.journal()).toContain('Main process exited, code=killed, status=31/SYS');
    } finally {
      relay.systemctl('stop');
      removeFilter();
      removeErrno();
    }
  });
});
