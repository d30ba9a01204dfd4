/**
 * nginx/eventsub.conf where nginx itself answers: relay down (502), relay hanging (504), flood guard
 * (429), and the upstream block with several relays (a dead one is skipped, a POST that reached a
 * hanging one is never replayed to another). Same Debian nginx.conf wrapper as nginx-site.test.ts.
 * Test-only changes to the rendered site: a low rate (1r/m, burst 1) so 429 needs three requests
 * instead of a flood, and proxy_read_timeout 1s instead of 10s.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { curlWithHeaders } from '../support/curl.js';
import {
  expectJsonError,
  renderSite,
  selfSignedCert,
  SITE_NAME,
  startNginx,
  type NginxInstance,
} from '../support/nginx-fixture.js';
import { freePort, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { followNotification, signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';

const SECRET = 'deploy-test-secret-0123456789';

/** An upstream that accepts, reads the request head, and never answers; records the message ids. */
async function hangingUpstream(port: number): Promise<{ received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    socket.on('data', (chunk) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      const id = /^twitch-eventsub-message-id:\s*(\S+)/im.exec(head)?.[1];
      if (head.includes('\r\n\r\n') && id) received.push(id);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    received,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

describe('nginx/eventsub.conf: the errors nginx makes itself, and several upstreams', () => {
  const dir = tempDir('eventsub-nginx-errors-');
  const certDir = join(dir.path, 'cert');
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(() => {
    selfSignedCert(certDir);
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    dir.cleanup();
  });

  /** Starts nginx on the shipped site with these overrides; returns a POST helper for it. */
  const site = async (name: string, overrides: Parameters<typeof renderSite>[3]) => {
    const ports = { http: await freePort(), https: await freePort(), upstream: 0 };
    const text = renderSite('eventsub.conf', ports, { certDir, webroot: join(dir.path, 'www') }, overrides);
    const nginx: NginxInstance = await startNginx(join(dir.path, name), text);
    cleanups.push(() => nginx.stop());
    return (req: { headers: Record<string, string>; body: string }) =>
      curlWithHeaders(
        [
          '--resolve',
          `${SITE_NAME}:${ports.https}:127.0.0.1`,
          '--cacert',
          join(certDir, 'fullchain.pem'),
          '-X',
          'POST',
          ...Object.entries(req.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
          '--data-binary',
          '@-',
          `https://${SITE_NAME}:${ports.https}/callback`,
        ],
        req.body,
      );
  };

  it('answers relay down with 502, relay hanging with 504, and a flood with 429: each short JSON', async () => {
    const upstream = await freePort(); // nothing listens here yet: the relay is down
    const post = await site('one-upstream', {
      upstreams: [upstream],
      rate: '1r/m',
      burst: 1,
      readTimeout: '1s',
    });
    const sent = () => signedRequest(SECRET, followNotification());

    expectJsonError(await post(sent()), 502, 'relay_unavailable');

    const hanging = await hangingUpstream(upstream);
    cleanups.push(hanging.close);
    const { received } = hanging;
    const slow = sent();
    expectJsonError(await post(slow), 504, 'relay_timeout');
    expect(received).toEqual([slow.messageId]);

    // Third request within the minute: over rate + burst, refused before it is proxied.
    const flood = sent();
    expectJsonError(await post(flood), 429, 'rate_limited');
    expect(received).toEqual([slow.messageId]);
  });

  it('with several upstreams skips a dead relay, and never replays a POST a hanging relay received', async () => {
    const relayDir = join(dir.path, 'relay');
    const storePath = join(relayDir, 'relay.sqlite');
    const relay: RelayProcess = await startRelayProcess({
      DATA_DIR: relayDir,
      STORE_URL: `sqlite:${storePath}`,
      EVENTSUB_SECRET: SECRET,
    });
    cleanups.push(async () => {
      relay.child.kill('SIGTERM');
      await relay.exited;
    });
    const [dead, hangPort] = [await freePort(), await freePort()];
    const hanging = await hangingUpstream(hangPort);
    cleanups.push(hanging.close);
    const { received } = hanging;
    const post = await site('three-upstreams', {
      upstreams: [dead, hangPort, Number(new URL(relay.url).port)],
      readTimeout: '1s',
    });

    const answers: { id: string; status: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const req = signedRequest(SECRET, followNotification());
      answers.push({ id: req.messageId, status: (await post(req)).status });
    }
    const db = new Database(storePath, { readonly: true });
    const stored = (db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id);
    db.close();

    const timedOut = answers.filter((a) => a.status === 504).map((a) => a.id);
    // The dead relay never costs a request (connection refused → next server, nothing was sent).
    expect(answers.filter((a) => a.status !== 504 && a.status !== 204)).toEqual([]);
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut.length).toBeLessThan(answers.length);
    // What the hanging relay received stayed there: answered 504, not passed on to the live one.
    expect(received).toEqual(timedOut);
    for (const id of timedOut) expect(stored).not.toContain(id);
    expect(stored.sort()).toEqual(
      answers
        .filter((a) => a.status === 204)
        .map((a) => a.id)
        .sort(),
    );
  });
});
