import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { curl } from '../support/curl.js';
import {
  renderSite,
  REPO_ROOT,
  selfSignedCert,
  SITE_NAME,
  startNginx,
  type NginxInstance,
} from '../support/nginx-fixture.js';
import { startPebble, type Pebble } from '../support/pebble.js';
import { freePort } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

const HOOK = join(REPO_ROOT, 'deploy', 'certbot', 'deploy-hook.sh');
const ISSUE = join(REPO_ROOT, 'deploy', 'certbot', 'issue.sh');

/** Runs a program without blocking the event loop, killed after 60 s. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

/** Serial of the certificate nginx serves for the site name right now. */
function servedSerial(port: number): string {
  const r = spawnSync(
    'sh',
    [
      '-c',
      `openssl s_client -connect 127.0.0.1:${port} -servername ${SITE_NAME} </dev/null 2>/dev/null | openssl x509 -noout -serial`,
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  return r.stdout.trim();
}

describe('certbot against pebble, http-01 served by the shipped nginx configs', () => {
  const dir = tempDir('eventsub-certbot-');
  let pebble: Pebble | undefined;
  let nginx: NginxInstance | undefined;
  let ports = { http: 0, https: 0, upstream: 0 };
  const webroot = join(dir.path, 'www');
  const certbotDir = join(dir.path, 'le');
  const live = join(certbotDir, 'config', 'live', SITE_NAME);
  let certbotArgs: string[] = [];
  let hookEnv: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    ports = { http: await freePort(), https: await freePort(), upstream: await freePort() };
    // Debian's nginx.conf runs workers as www-data: they must traverse the (0700) temp dir to the webroot.
    chmodSync(dir.path, 0o755);
    mkdirSync(webroot, { recursive: true });
    pebble = await startPebble(join(dir.path, 'pebble'), ports.http);
    // First deploy: the bootstrap site (port 80 only), as install.sh does.
    nginx = await startNginx(
      join(dir.path, 'nginx'),
      renderSite('eventsub-bootstrap.conf', ports, { certDir: live, webroot }),
    );
    const nginxArgs = `-p ${nginx.prefix} -c ${nginx.confPath}`;
    hookEnv = {
      NGINX_TEST_CMD: `nginx ${nginxArgs} -t -q`,
      NGINX_RELOAD_CMD: `nginx ${nginxArgs} -s reload`,
    };
    certbotArgs = [
      '--server',
      pebble.directory,
      '--config-dir',
      join(certbotDir, 'config'),
      '--work-dir',
      join(certbotDir, 'work'),
      '--logs-dir',
      join(certbotDir, 'logs'),
    ];
  });

  afterAll(async () => {
    await nginx?.stop();
    await pebble?.stop();
    dir.cleanup();
  });

  const certbotEnv = () => ({
    REQUESTS_CA_BUNDLE: pebble!.listenerCa,
    ACME_WEBROOT: webroot,
    DEPLOY_HOOK: HOOK,
    ...hookEnv,
  });

  it('issues the first certificate with deploy/certbot/issue.sh, then nginx serves it on the TLS site', async () => {
    const issued = await run(ISSUE, [SITE_NAME, 'ops@example.net', ...certbotArgs], certbotEnv());
    expect(issued.output).toContain('Successfully received certificate');
    expect(issued.code).toBe(0);
    writeFileSync(
      join(nginx!.prefix, 'site.conf'),
      renderSite('eventsub.conf', ports, { certDir: live, webroot }),
    );
    expect(nginx!.test().code).toBe(0);
    nginx!.reload();
    await new Promise((r) => setTimeout(r, 500)); // reload is asynchronous: let new workers take over
    const issuer = spawnSync('openssl', ['x509', '-in', join(live, 'fullchain.pem'), '-noout', '-issuer'], {
      encoding: 'utf8',
    });
    expect(issuer.stdout).toMatch(/Pebble/i);
    expect(servedSerial(ports.https)).toMatch(/^serial=/);
  });

  it('forced renewal runs the deploy hook, which reloads nginx onto the new certificate', async () => {
    const before = servedSerial(ports.https);
    const renewed = await run(
      'certbot',
      ['renew', '--force-renewal', '--no-random-sleep-on-renew', '--non-interactive', ...certbotArgs],
      certbotEnv(),
    );
    expect(renewed.code).toBe(0);
    expect(renewed.output).toContain('nginx reloaded onto');
    let after = before;
    for (let i = 0; i < 40 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = servedSerial(ports.https);
    }
    expect(after).toMatch(/^serial=/);
    expect(after).not.toBe(before);
  });

  it('the hook refuses a NEW certificate while nginx -t fails: no reload, nginx keeps serving the old one', async () => {
    const before = servedSerial(ports.https);
    // A new certificate where nginx loads it from (live/*.pem link into archive/; copy writes through):
    // any reload now would switch the served serial to this one.
    const fresh = selfSignedCert(join(dir.path, 'fresh'));
    copyFileSync(fresh.cert, join(live, 'fullchain.pem'));
    copyFileSync(fresh.key, join(live, 'privkey.pem'));
    const freshSerial = spawnSync('openssl', ['x509', '-in', fresh.cert, '-noout', '-serial'], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(freshSerial).not.toBe(before);
    // The reload command leaves a mark, so "not reloaded" does not depend on how fast nginx reloads.
    const marker = join(dir.path, 'reloaded');
    const reload = join(dir.path, 'reload.sh');
    writeFileSync(reload, `#!/bin/sh\ntouch ${marker}\nexec ${hookEnv.NGINX_RELOAD_CMD}\n`, { mode: 0o755 });
    const broken = join(dir.path, 'broken.conf');
    writeFileSync(broken, 'events {}\nhttp { this is not nginx; }\n');

    const r = await run(HOOK, [], {
      RENEWED_LINEAGE: live,
      NGINX_TEST_CMD: `nginx -p ${nginx!.prefix} -c ${broken} -t -q`,
      NGINX_RELOAD_CMD: reload,
    });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('eventsub-relay deploy hook: nginx -t failed');
    expect(r.output).toContain('nginx NOT reloaded');
    expect(existsSync(marker)).toBe(false);
    expect(servedSerial(ports.https)).toBe(before);
    const answer = await curl([
      '--resolve',
      `${SITE_NAME}:${ports.https}:127.0.0.1`,
      '-k',
      `https://${SITE_NAME}:${ports.https}/callback`,
    ]);
    expect(answer.status).toBe(405);

    // Control: with a passing nginx -t the same hook reloads, and the new serial is served, so the
    // check above would have seen a reload.
    const ok = await run(HOOK, [], { RENEWED_LINEAGE: live, ...hookEnv, NGINX_RELOAD_CMD: reload });
    expect(ok.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    let after = before;
    for (let i = 0; i < 40 && after !== freshSerial; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = servedSerial(ports.https);
    }
    expect(after).toBe(freshSerial);
  });

  it('the hook refuses a key that does not match the certificate', async () => {
    const bad = join(dir.path, 'bad-lineage');
    mkdirSync(bad);
    spawnSync('sh', [
      '-c',
      `cp ${live}/fullchain.pem ${bad}/ && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${bad}/privkey.pem`,
    ]);
    const r = await run(HOOK, [], { RENEWED_LINEAGE: bad, ...hookEnv });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('does not match');
  });
});
