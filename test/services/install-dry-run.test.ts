/**
 * deploy/install.sh without changing this machine: --dry-run lists every step and writes nothing,
 * and bad input is refused before anything runs. The real runs (files, restart, idempotence) are
 * in systemd-nspawn.test.ts, inside a container booted with systemd.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/nginx-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const SCRIPT = join(REPO_ROOT, 'deploy', 'install.sh');
/** Everything install.sh would create or change. */
const TOUCHED = [
  '/etc/systemd/system/eventsub-relay.service',
  '/etc/eventsub-relay',
  '/etc/nginx/sites-available/eventsub.conf',
  '/etc/nginx/sites-enabled/eventsub.conf',
  '/var/www/eventsub-acme',
  '/var/lib/eventsub-relay',
  '/etc/letsencrypt/renewal-hooks/deploy/eventsub-relay-reload-nginx.sh',
  '/opt/eventsub-relay',
  '/usr/local/bin/eventsub-relay',
];
const snapshot = () =>
  JSON.stringify({
    touched: TOUCHED.map((p) => existsSync(p)),
    ddclient: existsSync('/etc/ddclient.conf') ? statSync('/etc/ddclient.conf').mtimeMs : null,
    enabled: existsSync('/etc/nginx/sites-enabled') ? readdirSync('/etc/nginx/sites-enabled') : null,
    user: spawnSync('id', ['-u', 'eventsub-relay']).status,
  });
const install = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(SCRIPT, args, {
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: process.env.PATH, ...env },
  });
const BASE = ['--domain', 'relay.example.net', '--email', 'ops@example.net', '--dry-run'];

describe('deploy/install.sh --dry-run', () => {
  it('passes shellcheck, with every sourced file followed', () => {
    const scripts = ['install.sh', 'eventsub-relay-cli.sh', 'certbot/issue.sh', 'certbot/deploy-hook.sh'];
    const r = spawnSync('shellcheck', ['-x', ...scripts.map((s) => join(REPO_ROOT, 'deploy', s))], {
      encoding: 'utf8',
    });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('lists every step and changes nothing; no secret appears', () => {
    const before = snapshot();
    const r = install([
      ...BASE,
      '--twitch-client-id',
      'abc123clientid',
      '--twitch-client-secret',
      'not-printed-client-secret',
      '--ddns',
      'duckdns',
      '--ddns-host',
      'myrelay',
      '--ddns-password',
      'not-printed-token',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const step of [
      'install packages',
      'create system user',
      'npm ci --omit=dev',
      'PUBLIC_URL=https://relay.example.net (from --domain)',
      'TWITCH_CLIENT_ID=abc123clientid',
      'TWITCH_CLIENT_SECRET=<25 characters, not shown>',
      'install systemd unit',
      'CLI wrapper /usr/local/bin/eventsub-relay',
      'bootstrap nginx site',
      'first certificate for relay.example.net',
      'TLS nginx site',
      '/etc/ddclient.conf for duckdns',
      'start eventsub-relay',
      'daemon-reload',
    ])
      expect(r.stdout).toContain(step);
    expect(r.stdout).toContain('done (dry run: nothing was changed)');
    expect(r.stdout).not.toContain('not-printed');
    expect(snapshot()).toBe(before);
  });

  it('refuses to run without --domain and says what to pass', () => {
    const r = install(['--email', 'ops@example.net', '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--domain is required');
  });

  it('refuses a domain that is not a DNS name', () => {
    const r = install(['--domain', 'relay example;net', '--email', 'ops@example.net', '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--domain 'relay example;net' is not a DNS name");
  });

  it.each([
    [['--ddns', 'namecheap'], '--ddns namecheap needs --ddns-host --ddns-domain --ddns-password'],
    [['--ddns', 'namecheap', '--ddns-host', 'relay', '--ddns-password', 'x'], 'needs --ddns-domain'],
    [
      ['--ddns', 'cloudflare', '--ddns-host', 'relay', '--ddns-domain', 'example.net'],
      'needs --ddns-password',
    ],
    [['--ddns', 'duckdns', '--ddns-password', 'x'], '--ddns duckdns needs --ddns-host'],
    [
      ['--ddns', 'duckdns', '--ddns-host', 'myrelay.duckdns.org', '--ddns-password', 'x'],
      'only the subdomain (myrelay)',
    ],
    [['--ddns', 'noip', '--ddns-host', 'x', '--ddns-password', 'y'], 'namecheap, cloudflare or duckdns'],
    [['--ddns-host', 'relay'], 'need --ddns namecheap|cloudflare|duckdns'],
    [['--ddns', 'duckdns', '--ddns-host', 'myrelay', '--ddns-password', 'a b'], 'contains whitespace'],
  ])('refuses incomplete or unusable DDNS input %j', (args, message) => {
    const r = install([...BASE, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe(''); // nothing started
  });

  it('refuses Twitch credentials that systemd and Node would read differently', () => {
    const r = install([...BASE, '--twitch-client-secret', 'has space']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('may only contain letters, digits');
    expect(r.stderr).not.toContain('has space');
  });

  it.each([
    ['too old', 'v18.19.0', 'Node.js 18.19.0 at'],
    ['missing', null, 'none was found there'],
  ])('refuses a Node.js that is %s, saying how to get >= 20.18', (_, version, message) => {
    const dir = tempDir('eventsub-node-');
    try {
      const node = join(dir.path, 'node');
      if (version) writeFileSync(node, `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
      const r = install(BASE, { EVENTSUB_NODE_BIN: node });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('>= 20.18.0');
      expect(r.stderr).toContain('https://deb.nodesource.com/setup_20.x');
      expect(r.stderr).toContain('apt-get install -y nodejs');
      expect(r.stdout).toBe('');
    } finally {
      dir.cleanup();
    }
  });
});
