import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/nginx-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const PUBLIC_IP = '203.0.113.7';
const INSTALL = join(REPO_ROOT, 'deploy', 'install.sh');
/** Every character sed-based rendering or an unescaped URL query would mangle. */
const PASSWORD = String.raw`p&a|s\s/w#o%rd'1`;
interface Recorded {
  method: string;
  url: string;
  body: string;
  auth: string | undefined;
}

/** Fake DNS provider + "what is my IP" on one HTTPS port. Answers with Content-Length (ddclient can't decode chunked). */
function fakeProvider(recorded: Recorded[]): Server {
  const cf = (res: import('node:http').ServerResponse, result: unknown) =>
    send(res, JSON.stringify({ success: true, result }));
  const send = (res: import('node:http').ServerResponse, text: string) => {
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(text), 'Content-Type': 'text/plain' });
    res.end(text);
  };
  return createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = req.url ?? '';
      if (url === '/ip') return send(res, PUBLIC_IP);
      recorded.push({ method: req.method ?? '', url, body, auth: req.headers.authorization });
      if (url.startsWith('/update?domains=')) return send(res, 'OK');
      if (url.startsWith('/update?'))
        return send(
          res,
          '<?xml version="1.0"?><interface-response><ErrCount>0</ErrCount></interface-response>',
        );
      if (url.startsWith('/client/v4/zones/?name=')) return cf(res, [{ id: 'zone1', name: 'example.net' }]);
      if (url.startsWith('/client/v4/zones/zone1/dns_records?'))
        return cf(res, [{ id: 'rec1', name: 'relay.example.net', content: '198.51.100.1' }]);
      if (url === '/client/v4/zones/zone1/dns_records/rec1')
        return cf(res, { id: 'rec1', content: PUBLIC_IP });
      res.writeHead(404, { 'Content-Length': 0 }).end();
    });
  });
}

/** Runs a program (killed after 30 s) without blocking the event loop. */
function run(cmd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

const dir = tempDir('eventsub-ddclient-');
const certFile = join(dir.path, 'cert.pem');
const keyFile = join(dir.path, 'key.pem');

describe('deploy/ddclient templates against a fake HTTPS provider', () => {
  const recorded: Recorded[] = [];
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    const r = spawnSync('openssl', [
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
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]);
    expect(r.status).toBe(0);
    server = fakeProvider(recorded);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    dir.cleanup();
  });

  /** Runs deploy/install.sh --render-ddclient (exits 2 with its message on a validation error). */
  const render = (args: string[], env: Record<string, string> = {}) => {
    const conf = join(dir.path, `render-${args[1]}.conf`);
    const r = spawnSync(INSTALL, ['--ddns', ...args, '--render-ddclient', conf], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
    });
    if (r.status !== 0) throw new Error(`install.sh exited ${r.status}: ${r.stderr}`);
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
    expect(statSync(conf).mode & 0o777).toBe(0o600);
    return readFileSync(conf, 'utf8');
  };

  /** Renders through install.sh against the fake, runs ddclient once; fails on any WARNING. */
  const runOnce = async (args: string[], serverPath = '') => {
    const name = args[0]!;
    const conf = join(dir.path, `${name}.conf`);
    const text = render(args, {
      EVENTSUB_DDNS_SERVER: `127.0.0.1:${port}${serverPath}`,
      EVENTSUB_DDNS_WEB_URL: `https://127.0.0.1:${port}/ip`,
    });
    writeFileSync(conf, `ssl_ca_file=${certFile}\n${text}`, { mode: 0o600 });
    // Async spawn: the fake provider lives in this process, so spawnSync would deadlock it.
    const r = await run('ddclient', [
      '-daemon=0',
      '-foreground',
      '-file',
      conf,
      '-cache',
      join(dir.path, `${name}.cache`),
    ]);
    const output = `${r.stdout}${r.stderr}`;
    expect(output).not.toMatch(/WARNING:|FAILED/);
    if (r.status !== 0) throw new Error(`ddclient exited ${r.status}:\n${output}`);
    return output;
  };

  it.each([
    ['namecheap', 'dynamicdns.park-your-domain.com', ['--ddns-domain', 'example.net']],
    ['cloudflare', 'api.cloudflare.com/client/v4', ['--ddns-domain', 'example.net']],
    ['duckdns', 'www.duckdns.org', []],
  ])('%s: install.sh renders the real provider server %s and the IP lookup', (name, server, extra) => {
    const text = render([name, '--ddns-host', 'relay', ...extra, '--ddns-password', PASSWORD]);
    expect(text).toMatch(new RegExp(`^server=${server.replaceAll('.', '\\.')}$`, 'm'));
    expect(text).toMatch(/\bweb(v4)?=https:\/\/api\.ipify\.org$/m);
    expect(text).toMatch(new RegExp(`^protocol=${name}$`, 'm'));
    expect(text).not.toMatch(/@[A-Z_]+@/);
  });

  it('namecheap: sends host, domain, the password (with & | \\ / # %) and ip once, then nothing', async () => {
    recorded.length = 0;
    const args = [
      'namecheap',
      '--ddns-host',
      'relay',
      '--ddns-domain',
      'example.net',
      '--ddns-password',
      PASSWORD,
    ];
    await runOnce(args);
    expect(recorded.map((r) => r.url)).toEqual([
      // Percent-encoded by install.sh (ddclient puts it into the query as is); Namecheap decodes it.
      `/update?host=relay&domain=example.net&password=p%26a%7Cs%5Cs%2Fw%23o%25rd%271&ip=${PUBLIC_IP}`,
    ]);
    const query = new URL(recorded[0]!.url, 'https://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      host: 'relay',
      domain: 'example.net',
      password: PASSWORD,
      ip: PUBLIC_IP,
    });
    await runOnce(args);
    expect(recorded).toHaveLength(1);
  });

  it('duckdns: sends subdomain, the token and ip once, then nothing', async () => {
    recorded.length = 0;
    const args = ['duckdns', '--ddns-host', 'myrelay', '--ddns-password', PASSWORD];
    await runOnce(args);
    expect(recorded).toHaveLength(1);
    const query = new URL(recorded[0]!.url, 'https://x').searchParams;
    expect(recorded[0]!.url.startsWith('/update?')).toBe(true);
    expect(Object.fromEntries(query)).toEqual({ domains: 'myrelay', token: PASSWORD, ip: PUBLIC_IP });
    await runOnce(args);
    expect(recorded).toHaveLength(1);
  });

  it('cloudflare: patches the A record with the token (sent as is), once, then nothing', async () => {
    recorded.length = 0;
    const args = [
      'cloudflare',
      '--ddns-host',
      'relay',
      '--ddns-domain',
      'example.net',
      '--ddns-password',
      PASSWORD,
    ];
    await runOnce(args, '/client/v4');
    const patch = recorded.find((r) => r.method === 'PATCH');
    expect(patch?.url).toBe('/client/v4/zones/zone1/dns_records/rec1');
    expect(JSON.parse(patch!.body)).toMatchObject({ content: PUBLIC_IP });
    expect(recorded.every((r) => r.auth === `Bearer ${PASSWORD}`)).toBe(true);
    expect(recorded.some((r) => r.url.includes('name=relay.example.net'))).toBe(true);
    const count = recorded.length;
    await runOnce(args, '/client/v4');
    expect(recorded).toHaveLength(count);
  });
});
