import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSite, selfSignedCert, SITE_NAME, startNginx } from '../support/nginx-fixture.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { freePort } from '../support/relay-process.js';
import { openSse } from '../support/sse-reader.js';
import { ALL_TOKEN, follow, postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('nginx/eventsub.conf: /stream/ through the shipped site', () => {
  it('passes each event through at once over TLS, keeps the relay’s 401, and never logs ?token=', async () => {
    const dir = tempDir('eventsub-nginx-stream-');
    cleanups.push(dir.cleanup);
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    const relay = await startTestRelay({
      CONFIG_FILE: writeStreamsConfig([{ name: 'all', token: ALL_TOKEN }], files),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
    });
    cleanups.push(() => relay.close());
    const ports = { http: await freePort(), https: await freePort(), upstream: relay.port };
    const certDir = join(dir.path, 'cert');
    selfSignedCert(certDir);
    const accessLog = join(dir.path, 'stream-access.log');
    const shipped = renderSite('eventsub.conf', ports, { certDir, webroot: join(dir.path, 'www') });
    const site = shipped.replace(
      'access_log /var/log/nginx/access.log eventsub_stream;',
      `access_log ${accessLog} eventsub_stream;`,
    );
    expect(site).not.toBe(shipped);
    const nginx = await startNginx(join(dir.path, 'nginx'), site);
    cleanups.push(() => nginx.stop());
    const tls = {
      ca: readFileSync(join(certDir, 'fullchain.pem')),
      servername: SITE_NAME,
      host: '127.0.0.1',
    };
    const base = `https://127.0.0.1:${ports.https}`;
    const host = { Host: SITE_NAME };

    const denied = await openSse(`${base}/stream/all?token=wrong-token-0123456789`, host, tls);
    await denied.ended;
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.text())).toMatchObject({ error: 'unauthorized' });

    const stream = await openSse(`${base}/stream/all?token=${ALL_TOKEN}`, host, tls);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    // One event at a time, each as soon as it is stored: nginx does not hold it in a buffer.
    for (const user of ['1', '2', '3']) {
      await postEvent(relay.url, TEST_SECRET, follow(user));
      await waitFor(
        () => stream.events.some((e) => JSON.parse(e.data).event.user_id === user),
        5000,
        `event ${user}`,
      );
    }
    stream.close();
    await waitFor(() => readFileSync(accessLog, 'utf8').split('\n').filter(Boolean).length >= 2);
    const logged = readFileSync(accessLog, 'utf8');
    expect(logged).toContain('"GET /stream/all" 401');
    expect(logged).toContain('"GET /stream/all" 200');
    expect(logged).not.toContain('token');
    expect(logged).not.toContain(ALL_TOKEN);
  }, 60_000);
});
