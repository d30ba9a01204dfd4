import { expect } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CurlResponse } from './curl.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repo root (test/support/../..). */
export const REPO_ROOT = join(here, '..', '..');
/** The name the shipped config serves; tests reach it with curl --resolve. */
export const SITE_NAME = 'eventsub.example.com';

export interface NginxPorts {
  http: number;
  https: number;
  upstream: number;
}

/** Makes a throwaway self-signed cert for `name` in `dir`; returns the file paths. */
export function selfSignedCert(
  dir: string,
  name = SITE_NAME,
  san = `DNS:${name}`,
): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, 'fullchain.pem');
  const key = join(dir, 'privkey.pem');
  const result = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=${san}`,
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { cert, key };
}

/** Test-only changes to the site's limits, so error paths can be reached without floods or long waits. */
export interface SiteOverrides {
  /** Replaces the flood guard's `rate=` (e.g. '1r/m'). */
  rate?: string;
  /** Replaces the flood guard's `burst=`. */
  burst?: number;
  /** Replaces proxy_read_timeout (e.g. '1s'). */
  readTimeout?: string;
  /** Several upstream servers (loopback ports) instead of the one `upstream` port. */
  upstreams?: number[];
}

/**
 * The shipped site file with production ports and paths rewritten for a test prefix:
 * 80/443 → high loopback ports, IPv6 listens dropped, certs/webroot/upstream moved. Every rewrite
 * must match, so a change to the shipped file that a test relies on fails here loudly.
 */
export function renderSite(
  file: string,
  ports: NginxPorts,
  paths: { certDir: string; webroot: string },
  overrides: SiteOverrides = {},
): string {
  let text = readFileSync(join(REPO_ROOT, 'nginx', file), 'utf8')
    .replace(/^\s*listen \[::\]:.*$/gm, '')
    .replace(/listen 80;/g, `listen 127.0.0.1:${ports.http};`)
    .replace(/listen 443 /g, `listen 127.0.0.1:${ports.https} `)
    .replaceAll(`/etc/letsencrypt/live/${SITE_NAME}`, paths.certDir)
    .replaceAll('/var/www/eventsub-acme', paths.webroot)
    .replace('return 301 https://$host$request_uri;', `return 301 https://$host:${ports.https}$request_uri;`);
  if (file !== 'eventsub.conf') return text;
  const upstreams = overrides.upstreams ?? [ports.upstream];
  const rewrite = (pattern: RegExp, replacement: string) => {
    if (!pattern.test(text)) throw new Error(`nginx/${file} no longer matches ${pattern}`);
    text = text.replace(pattern, replacement);
  };
  rewrite(
    /^(\s*)server 127\.0\.0\.1:8080( [^;]*)?;$/m,
    upstreams.map((port) => `$1server 127.0.0.1:${port}$2;`).join('\n'),
  );
  if (overrides.rate) rewrite(/rate=\d+r\/s;/, `rate=${overrides.rate};`);
  if (overrides.burst !== undefined) rewrite(/burst=\d+/, `burst=${overrides.burst}`);
  if (overrides.readTimeout)
    rewrite(/proxy_read_timeout \S+;/, `proxy_read_timeout ${overrides.readTimeout};`);
  return text;
}

/**
 * Debian's own /etc/nginx/nginx.conf as the outer config, with only what must move into the
 * prefix changed: foreground, pid, logs, temp dirs, and our site instead of sites-enabled.
 */
export function wrapInDebianConf(prefix: string, sitePath: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${join(prefix, 'tmp', kind)};`)
    .join('\n\t');
  return readFileSync('/etc/nginx/nginx.conf', 'utf8')
    .replace(/^pid .*$/m, `daemon off;\npid ${join(prefix, 'nginx.pid')};`)
    .replace(/^(\s*)access_log .*$/m, `$1access_log ${join(prefix, 'access.log')};`)
    .replace(/^(\s*)error_log .*$/m, `$1error_log ${join(prefix, 'error.log')};`)
    .replace(/^\s*include \/etc\/nginx\/conf\.d\/\*\.conf;$/m, `\t${temp}`)
    .replace(/^(\s*)include \/etc\/nginx\/sites-enabled\/\*;$/m, `$1include ${sitePath};`);
}

/** A running nginx in a prefix dir; `stop()` ends it (idempotent). */
export interface NginxInstance {
  prefix: string;
  confPath: string;
  test: () => { code: number; output: string };
  reload: () => void;
  stop: () => Promise<void>;
  output: () => string;
}

/** Writes the outer conf + site into `prefix`, runs `nginx -t`, then starts nginx in the foreground. */
export async function startNginx(prefix: string, siteText: string): Promise<NginxInstance> {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const sitePath = join(prefix, 'site.conf');
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(sitePath, siteText);
  writeFileSync(confPath, wrapInDebianConf(prefix, sitePath));
  const args = ['-p', prefix, '-c', confPath];
  const test = () => {
    const r = spawnSync('nginx', [...args, '-t'], { encoding: 'utf8' });
    return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
  };
  const checked = test();
  if (checked.code !== 0) throw new Error(`nginx -t failed:\n${checked.output}`);
  let output = '';
  const child: ChildProcess = spawn('nginx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await waitForFile(join(prefix, 'nginx.pid'), exited, () => output);
  return {
    prefix,
    confPath,
    test,
    output: () => output,
    reload: () => {
      const r = spawnSync('nginx', [...args, '-s', 'reload'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`nginx reload failed: ${r.stderr}`);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForFile(path: string, exited: Promise<void>, output: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 100; i++) {
    if (gone) throw new Error(`nginx exited early:\n${output()}`);
    try {
      if (readFileSync(path, 'utf8').trim()) return;
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not write ${path}:\n${output()}`);
}

/** Asserts nginx's own error: it must look like the relay's, short JSON `{error, message}`, never HTML. */
export function expectJsonError(res: CurlResponse, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.body).not.toMatch(/<html|nginx\//i);
  const parsed = JSON.parse(res.body) as { error: string; message: string };
  expect(parsed).toEqual({ error, message: expect.any(String) });
  expect(parsed.message.length).toBeGreaterThan(10);
  expect(res.headers['strict-transport-security']).toBe('max-age=63072000');
}
