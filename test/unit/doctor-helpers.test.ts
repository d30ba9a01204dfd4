import { describe, expect, it } from '@jest/globals';
import { addressKind } from '../../src/cli/commands/doctor/addresses.js';
import { findings } from '../../src/cli/commands/doctor/check.js';
import { parseConnectTo } from '../../src/cli/commands/doctor/doctor.js';
import { formatReport } from '../../src/cli/commands/doctor/printer.js';
import { exitCodeOf } from '../../src/cli/commands/doctor/runner.js';

describe('doctor: which A records Twitch can reach', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.20', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['100.128.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['250.1.1.1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['203.0.113.10', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });
});

describe('doctor --connect-to (curl syntax)', () => {
  it('parses host:port:address:port, IPv6 in brackets, and refuses anything else', () => {
    expect(parseConnectTo('relay.example.net:443:127.0.0.1:8443')).toEqual({
      name: 'relay.example.net',
      port: 443,
      to: { host: '127.0.0.1', port: 8443 },
    });
    expect(parseConnectTo('relay.example.net:443:[::1]:443').to).toEqual({ host: '::1', port: 443 });
    for (const bad of ['relay.example.net', 'relay.example.net:443:127.0.0.1', 'a:b:c:d'])
      expect(() => parseConnectTo(bad)).toThrow('must be HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT');
  });
});

describe('doctor report', () => {
  const finding = (status: 'ok' | 'fail' | 'warn' | 'skip', hard: boolean) => ({
    id: status,
    title: `a ${status} check`,
    status,
    detail: 'what was found',
    fix: 'what to do',
    hard,
  });

  it('a finding is as hard as its check, whatever its outcome (docs/doctor.md: hard checks)', () => {
    const hard = findings({ id: 'store', title: 'store', hard: true });
    const soft = findings({ id: 'deliveries', title: 'deliveries', hard: false });
    for (const make of [hard.ok, hard.fail, hard.warn, hard.skip]) expect(make('found').hard).toBe(true);
    for (const make of [soft.ok, soft.fail, soft.warn, soft.skip]) expect(make('found').hard).toBe(false);
  });

  it('exits 1 only for a failed hard check; warnings and soft failures leave it 0', () => {
    expect(exitCodeOf([finding('ok', false), finding('warn', false), finding('skip', false)])).toBe(0);
    expect(exitCodeOf([finding('fail', false)])).toBe(0);
    expect(exitCodeOf([finding('ok', false), finding('fail', true)])).toBe(1);
  });

  it('prints the symbol, the fix under anything not ok, and a count', () => {
    expect(formatReport([finding('ok', false), finding('fail', true), finding('warn', false)])).toBe(
      '✔ a ok check: what was found\n' +
        '✗ a fail check: what was found\n    fix: what to do\n' +
        '! a warn check: what was found\n    fix: what to do\n\n' +
        '1 problem (✗), 1 warning (!): fix each ✗, then run `eventsub-relay doctor` again\n',
    );
    expect(formatReport([finding('ok', false)])).toBe(
      '✔ a ok check: what was found\n\nthe one check passed\n',
    );
  });
});
