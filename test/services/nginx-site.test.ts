import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { curl, curlWithHeaders } from '../support/curl.js';
import {
  expectJsonError,
  renderSite,
  selfSignedCert,
  SITE_NAME,
  startNginx,
  type NginxInstance,
} from '../support/nginx-fixture.js';
import { freePort, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { fixture, followNotification, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';

const SECRET = 'deploy-test-secret-0123456789';

const FORWARD_SECRET = `whsec_${Buffer.from('deploy-test-forward-secret-32-bytes!').toString('base64')}`;

interface Forwarded {
  id: string;
  event: unknown;
}

/** The consumer behind FORWARD_URL: verifies each POST with the standardwebhooks package. */
function consumer(received: Forwarded[], waiters: Map<string, () => void>): Server {
  const webhook = new Webhook(FORWARD_SECRET);
  return createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      try {
        const envelope = webhook.verify(body, req.headers as Record<string, string>) as Forwarded;
        received.push(envelope);
        waiters.get(envelope.id)?.();
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
}

describe('nginx/eventsub.conf under Debian nginx.conf, TLS → relay', () => {
  const dir = tempDir('eventsub-nginx-');
  let nginx: NginxInstance | undefined;
  let relay: RelayProcess | undefined;
  let base = '';
  let resolve = '';
  let httpsPort = 0;
  const storePath = join(dir.path, 'relay.sqlite');
  const forwarded: Forwarded[] = [];
  /** Message ids nginx or the relay refused; none may ever reach the consumer. */
  const rejectedIds: string[] = [];
  const waiters = new Map<string, () => void>();
  const hook = consumer(forwarded, waiters);
  /** Resolves when the consumer has verified a delivery with this id (jest's timeout bounds it). */
  const forwardedOnce = (id: string) =>
    new Promise<void>((resolve) => {
      if (forwarded.some((f) => f.id === id)) return resolve();
      waiters.set(id, resolve);
    });

  beforeAll(async () => {
    const upstream = await freePort();
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookPort = (hook.address() as { port: number }).port;
    relay = await startRelayProcess({
      DATA_DIR: dir.path,
      STORE_URL: `sqlite:${storePath}`,
      EVENTSUB_SECRET: SECRET,
      PORT: String(upstream),
      FORWARD_URL: `http://127.0.0.1:${hookPort}/hook`,
      FORWARD_SECRET,
    });
    const ports = { http: await freePort(), https: await freePort(), upstream };
    httpsPort = ports.https;
    const certDir = join(dir.path, 'cert');
    selfSignedCert(certDir);
    const site = renderSite('eventsub.conf', ports, { certDir, webroot: join(dir.path, 'www') });
    nginx = await startNginx(join(dir.path, 'nginx'), site);
    base = `https://${SITE_NAME}:${ports.https}`;
    resolve = `${SITE_NAME}:${ports.https}:127.0.0.1`;
  });

  afterAll(async () => {
    await nginx?.stop();
    relay?.child.kill('SIGTERM');
    if (relay) await relay.exited;
    await new Promise<void>((resolve) => hook.close(() => resolve()));
    dir.cleanup();
  });

  const tls = () => ['--resolve', resolve, '--cacert', join(dir.path, 'cert', 'fullchain.pem')];
  const post = (req: { headers: Record<string, string>; body: string }, path = '/callback') =>
    curl(
      [
        ...tls(),
        '-X',
        'POST',
        ...Object.entries(req.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
        '--data-binary',
        '@-',
        `${base}${path}`,
      ],
      req.body,
    );
  const storedIds = (): string[] => {
    const db = new Database(storePath, { readonly: true });
    try {
      return (db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id);
    } finally {
      db.close();
    }
  };

  it('passes nginx -t', () => {
    const result = nginx!.test();
    expect(result.code).toBe(0);
    expect(result.output).toContain('test is successful');
  });

  it('answers the challenge through nginx', async () => {
    const challenge = fixture('challenge.json') as { challenge: string };
    const res = await post(
      signedRequest(SECRET, challenge, { messageType: 'webhook_callback_verification' }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe(challenge.challenge);
  });

  it('passes a signed notification through byte-identical: HMAC verifies, stored, forwarded', async () => {
    const payload = followNotification();
    const req = signedRequest(SECRET, payload);
    const res = await post(req);
    expect(res.status).toBeLessThan(300);
    expect(storedIds()).toContain(req.messageId);
    await forwardedOnce(req.messageId);
    const delivered = forwarded.find((f) => f.id === req.messageId);
    expect(delivered?.event).toEqual((payload as { event: unknown }).event);
  });

  it('rejects a tampered body (HMAC fails at the relay) and stores nothing', async () => {
    const req = signedRequest(SECRET, followNotification());
    const res = await post({ ...req, body: req.body.replace('"user_id"', '"user_id" ') });
    expect(res.status).toBe(403);
    rejectedIds.push(req.messageId);
    expect(storedIds()).not.toContain(req.messageId);
  });

  it.each(['GET', 'PUT', 'DELETE'])(
    'answers %s /callback with 405 + Allow: POST, HSTS and a JSON body',
    async (method) => {
      const res = await curlWithHeaders([...tls(), '-X', method, `${base}/callback`]);
      expectJsonError(res, 405, 'method_not_allowed');
      expect(res.headers.allow).toBe('POST');
    },
  );

  it('refuses a body over 1 MiB with 413 and stores nothing', async () => {
    const req = signedRequest(SECRET, { ...followNotification(), pad: 'x'.repeat(1024 * 1024 + 10) });
    const res = await curlWithHeaders(
      [
        ...tls(),
        '-X',
        'POST',
        ...Object.entries(req.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
        '--data-binary',
        '@-',
        `${base}/callback`,
      ],
      req.body,
    );
    expectJsonError(res, 413, 'payload_too_large');
    rejectedIds.push(req.messageId);
    expect(storedIds()).not.toContain(req.messageId);
  });

  it.each(['/healthz', '/readyz', '/metrics', '/'])('does not expose %s (404, JSON)', async (path) => {
    const res = await curlWithHeaders([...tls(), `${base}${path}`]);
    expectJsonError(res, 404, 'not_found');
    expect(res.body).not.toMatch(/process_cpu|"ok"|ready/);
  });

  it('offers TLS 1.3', async () => {
    const res = await curl([...tls(), '-v', '--tlsv1.3', '-o', '/dev/null', `${base}/callback`]);
    expect(res.stderr).toMatch(/SSL connection using TLSv1\.3/);
  });

  it('refuses TLS 1.1 even when the client offers it at security level 0', () => {
    const r = spawnSync(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${httpsPort}`,
        '-servername',
        SITE_NAME,
        '-tls1_1',
        '-cipher',
        'DEFAULT@SECLEVEL=0',
      ],
      { input: '', encoding: 'utf8', timeout: 10_000 },
    );
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/protocol version|no protocols available/i);
    // s_client prints the attempted version; no cipher means no session was established.
    expect(r.stdout).toMatch(/Cipher is \(NONE\)/);
  });

  it('rejects an unknown SNI in the handshake: alert unrecognized_name, no certificate shown', async () => {
    const res = await curl([
      '--resolve',
      `other.example.org:${httpsPort}:127.0.0.1`,
      '-k',
      `https://other.example.org:${httpsPort}/callback`,
    ]);
    expect(res.code).toBe(35); // CURLE_SSL_CONNECT_ERROR: no TLS session, so no HTTP at all
    expect(res.status).toBe(0);
    expect(res.stderr).toContain('tlsv1 unrecognized name');
    for (const sni of [['-servername', 'other.example.org'], ['-noservername']]) {
      const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${httpsPort}`, ...sni], {
        input: '',
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/tlsv1 unrecognized name.*SSL alert number 112/);
      expect(r.stdout).toContain('no peer certificate available');
      expect(r.stdout).toMatch(/Cipher is \(NONE\)/);
    }
  });

  it('forwarded only the accepted notifications (none of the rejected ones)', async () => {
    const req = signedRequest(SECRET, followNotification());
    expect((await post(req)).status).toBeLessThan(300);
    await forwardedOnce(req.messageId);
    const ids = forwarded.map((f) => f.id);
    expect(rejectedIds.length).toBeGreaterThan(0);
    for (const id of rejectedIds) expect(ids).not.toContain(id);
  });
});
