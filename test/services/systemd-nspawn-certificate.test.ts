/**
 * deploy/install.sh's certificate and nginx steps for real, at their production paths, with Debian's
 * own nginx.service under systemd 252 in systemd-nspawn (see systemd-nspawn.test.ts for how the
 * container is built). The container gets a network of its own (--private-network: loopback only),
 * so nginx binds 80/443 there without touching this host's ports, and nothing outside is reachable.
 *  1. No ACME server reachable: the first issuance fails; install.sh stops with what to check, and
 *     leaves the bootstrap site (port 80 only) enabled and serving, with nothing in live/.
 *  2. With pebble (a local ACME CA) running inside, the same command issues the certificate over
 *     http-01 through that bootstrap site, swaps in the TLS site and reloads nginx; a re-run
 *     changes nothing and does not reload.
 * The one test-only input is EVENTSUB_CERTBOT_ARGS=--server <pebble> (plus its CA for certbot).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, selfSignedCert } from '../support/nginx-fixture.js';
import { bootNspawnMachine, type NspawnMachine } from '../support/nspawn-machine.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const CHECKOUT = '/root/eventsub-relay';
const DOMAIN = 'eventsub.example.com';
const LIVE = `/etc/letsencrypt/live/${DOMAIN}`;
const PEBBLE_DIR = '/etc/pebble-test';
const PEBBLE_CONFIG = JSON.stringify({
  pebble: {
    listenAddress: '127.0.0.1:14000',
    managementListenAddress: '127.0.0.1:15000',
    certificate: `${PEBBLE_DIR}/cert.pem`,
    privateKey: `${PEBBLE_DIR}/key.pem`,
    httpPort: 80, // http-01 is fetched from the real port 80, i.e. from the bootstrap site
    tlsPort: 5001,
    ocspResponderURL: '',
    externalAccountBindingRequired: false,
  },
});

let machine: NspawnMachine;
const certs = tempDir('eventsub-pebble-cert-');

/** install.sh as root inside, only these steps, with a clean environment (plus `env`). */
const install = (steps: string, env: string[] = []) =>
  machine.exec(
    [
      'env',
      '-i',
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
      'LANG=C.UTF-8',
      ...env,
      `${CHECKOUT}/deploy/install.sh`,
      '--domain',
      DOMAIN,
      '--email',
      'ops@example.net',
      '--only',
      steps,
    ],
    120_000,
  );
/** curl inside the container; returns the HTTP status and body (exit code on failure). */
const curlInside = (...args: string[]) => {
  const r = machine.exec(['curl', '-sS', '--max-time', '10', '-w', '\n%{http_code}', ...args]);
  const at = r.stdout.lastIndexOf('\n');
  return { code: r.status, status: Number(r.stdout.slice(at + 1)), body: r.stdout.slice(0, at) };
};
const https = ['--resolve', `${DOMAIN}:443:127.0.0.1`, '-k'];

beforeAll(async () => {
  const { cert, key } = selfSignedCert(certs.path, 'localhost', 'DNS:localhost,IP:127.0.0.1');
  machine = await bootNspawnMachine({
    privateNetwork: true,
    files: [
      { path: `${PEBBLE_DIR}/pebble.json`, content: PEBBLE_CONFIG },
      { path: `${PEBBLE_DIR}/cert.pem`, content: readFileSync(cert, 'utf8') },
      { path: `${PEBBLE_DIR}/key.pem`, content: readFileSync(key, 'utf8'), mode: 0o600 },
    ],
    bindReadOnly: [{ host: realpathSync(REPO_ROOT), inside: CHECKOUT }],
  });
}, 60_000);

afterAll(async () => {
  await machine?.destroy();
  certs.cleanup();
}, 20_000);

describe('install.sh: the first certificate and the TLS site, with Debian nginx under systemd', () => {
  it('stops when the first issuance fails and leaves the bootstrap site enabled and serving', () => {
    const r = install('certificate'); // no ACME server is reachable from this network
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the first certificate for ${DOMAIN} was not issued`);
    expect(r.stderr).toContain('The bootstrap site (port 80 only) stays enabled');
    expect(r.stderr).toContain(`dig +short ${DOMAIN}`);
    expect(r.stdout).toContain('enable the bootstrap nginx site');
    expect(machine.exec(['readlink', '/etc/nginx/sites-enabled/eventsub.conf']).stdout.trim()).toBe(
      '/etc/nginx/sites-available/eventsub.conf',
    );
    expect(readFileSync(join(machine.root, 'etc/nginx/sites-available/eventsub.conf'), 'utf8')).toBe(
      readFileSync(join(REPO_ROOT, 'nginx/eventsub-bootstrap.conf'), 'utf8'),
    );
    expect(machine.exec(['systemctl', 'is-active', 'nginx']).stdout.trim()).toBe('active');
    const acme = curlInside('-H', `Host: ${DOMAIN}`, 'http://127.0.0.1/.well-known/acme-challenge/x');
    expect(acme.status).toBe(404); // the webroot answers: ready for a retry
    expect(curlInside(...https, `https://${DOMAIN}/callback`).code).toBe(7); // nothing on 443 yet
    expect(machine.exec(['test', '-e', LIVE]).status).not.toBe(0);
  });

  it('re-run with an ACME server: issues via the bootstrap site, then serves the TLS site', async () => {
    for (const [unit, args, env] of [
      [
        'pebble-dns',
        // Fake DNS: every name → 127.0.0.1; its own challenge servers off (nginx answers http-01).
        [
          'pebble-challtestsrv',
          ...['-dns01', '127.0.0.1:8053', '-management', '127.0.0.1:8055'],
          ...['-http01', '', '-https01', '', '-tlsalpn01', ''],
          ...['-defaultIPv4', '127.0.0.1', '-defaultIPv6', ''],
        ],
        [],
      ],
      [
        'pebble',
        ['pebble', '-config', `${PEBBLE_DIR}/pebble.json`, '-dnsserver', '127.0.0.1:8053'],
        ['--setenv=PEBBLE_VA_NOSLEEP=1', '--setenv=PEBBLE_WFE_NONCEREJECT=0'],
      ],
    ] as const) {
      const started = machine.exec(['systemd-run', '--quiet', `--unit=${unit}`, ...env, ...args]);
      expect(started).toMatchObject({ status: 0 });
    }
    await waitFor(
      () => curlInside('--cacert', `${PEBBLE_DIR}/cert.pem`, 'https://127.0.0.1:14000/dir').status === 200,
      15_000,
      'pebble to listen',
    );
    const r = install('certificate,nginx', [
      `REQUESTS_CA_BUNDLE=${PEBBLE_DIR}/cert.pem`,
      'EVENTSUB_CERTBOT_ARGS=--server https://127.0.0.1:14000/dir',
    ]);
    expect({ status: r.status, output: `${r.stdout}${r.stderr}` }).toMatchObject({ status: 0 });
    expect(r.stdout).toContain('Successfully received certificate');
    expect(r.stdout).toContain('eventsub-relay deploy hook: nginx reloaded onto');
    expect(r.stdout).toContain('ran: deploy/certbot/issue.sh');
    expect(r.stdout).toContain('updated: /etc/nginx/sites-available/eventsub.conf');
    const issuer = machine.exec(['openssl', 'x509', '-in', `${LIVE}/fullchain.pem`, '-noout', '-issuer']);
    expect(issuer.stdout).toMatch(/Pebble/);

    const get = curlInside(...https, `https://${DOMAIN}/callback`);
    expect(get.status).toBe(405);
    expect(JSON.parse(get.body)).toMatchObject({ error: 'method_not_allowed' });
    // No relay in this container: nginx's own 502, as JSON.
    const post = curlInside(...https, '-X', 'POST', '-d', '{}', `https://${DOMAIN}/callback`);
    expect(post.status).toBe(502);
    expect(JSON.parse(post.body)).toMatchObject({ error: 'relay_unavailable' });
    const served = machine.exec([
      'sh',
      '-c',
      `openssl s_client -connect 127.0.0.1:443 -servername ${DOMAIN} </dev/null 2>/dev/null | openssl x509 -noout -issuer`,
    ]);
    expect(served.stdout).toMatch(/Pebble/);
  });

  it('a third run changes nothing: the certificate is kept and nginx is not reloaded', () => {
    const reloads = () =>
      machine.exec(['journalctl', '--unit=nginx', '--output=cat']).stdout.split('Reloading').length;
    const before = reloads();
    expect(before).toBeGreaterThan(1); // the runs above did reload it
    const r = install('certificate,nginx');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`unchanged: ${LIVE}/ exists`);
    expect(r.stdout).toContain('nginx not reloaded (nothing changed)');
    expect(r.stdout).toContain('done: nothing changed');
    expect(reloads()).toBe(before);
  });
});
