import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/nginx-fixture.js';

const SCRIPT = join(REPO_ROOT, 'deploy', 'install.sh');
/** Everything install.sh would create or change. */
const TOUCHED = [
  '/etc/systemd/system/eventsub-relay.service',
  '/etc/eventsub-relay',
  '/etc/nginx/sites-available/eventsub.conf',
  '/etc/nginx/sites-enabled/eventsub.conf',
  '/var/www/eventsub-acme',
  '/etc/letsencrypt/renewal-hooks/deploy/eventsub-relay-reload-nginx.sh',
  '/opt/eventsub-relay',
];
const snapshot = () =>
  JSON.stringify({
    touched: TOUCHED.map((p) => existsSync(p)),
    ddclient: existsSync('/etc/ddclient.conf') ? statSync('/etc/ddclient.conf').mtimeMs : null,
    enabled: existsSync('/etc/nginx/sites-enabled') ? readdirSync('/etc/nginx/sites-enabled') : null,
    user: spawnSync('id', ['-u', 'eventsub-relay']).status,
  });

describe('deploy/install.sh --dry-run', () => {
  it('lists every step and changes nothing; the secret never appears', () => {
    const before = snapshot();
    const r = spawnSync(
      SCRIPT,
      [
        '--domain',
        'relay.example.net',
        '--email',
        'ops@example.net',
        '--ddns',
        'duckdns',
        '--ddns-host',
        'myrelay',
        '--ddns-password',
        'not-printed-token',
        '--dry-run',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(r.status).toBe(0);
    for (const step of [
      'create system user',
      'install systemd unit',
      'bootstrap nginx site',
      'first certificate for relay.example.net',
      'TLS nginx site',
      '/etc/ddclient.conf for duckdns',
      'start eventsub-relay',
    ])
      expect(r.stdout).toContain(step);
    expect(r.stdout).toContain('nothing was changed');
    expect(`${r.stdout}${r.stderr}`).not.toContain('not-printed-token');
    expect(snapshot()).toBe(before);
  });

  it('refuses to run without --domain and says what to pass', () => {
    const r = spawnSync(SCRIPT, ['--email', 'ops@example.net', '--dry-run'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--domain is required');
  });
});
