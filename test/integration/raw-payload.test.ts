import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture, signedRequest } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A consumer that keeps each verified request body exactly as it arrived. */
async function rawConsumer() {
  const webhook = new Webhook(TEST_WEBHOOK_SECRET);
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      webhook.verify(body, req.headers as Record<string, string>);
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

describe('the payload is stored and forwarded as Twitch signed it', () => {
  it('keeps `__proto__` keys, key order and number spelling; pollutes no prototype', async () => {
    const consumer = await rawConsumer();
    const relay = await startTestRelay({ FORWARD_URL: consumer.url, FORWARD_SECRET: TEST_WEBHOOK_SECRET });
    cleanups.push(() => relay.close());
    const { subscription } = fixture('notification.channel.follow.v2.json') as { subscription: unknown };
    // Written by hand: JSON.stringify could not produce an own "__proto__" key or "1.50e1".
    const eventText =
      '{"user_id":"1234","__proto__":{"polluted":"yes"},"user_login":"cool_user","ratio":1.50e1,' +
      '"broadcaster_user_id":"1337","followed_at":"2026-11-30T10:00:00.123456789Z","zeta":true,"alpha":null}';
    const body = `{"subscription":${JSON.stringify(subscription)},"event":${eventText}}`;
    const signed = signedRequest(TEST_SECRET, body);

    const res = await fetch(`${relay.url}/callback`, { method: 'POST', headers: signed.headers, body });
    expect(res.status).toBe(204);
    await waitFor(() => consumer.bodies.length === 1, 5000);

    const forwarded = consumer.bodies[0]!;
    expect(forwarded).toContain(`"event":${eventText}`);
    expect(forwarded).toContain(`"subscription":${JSON.stringify(subscription)}`);
    const stored = await relay.store.getEvent(signed.messageId);
    expect(Object.prototype.hasOwnProperty.call(stored?.envelope.event, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(stored?.envelope.event)).toBe(Object.prototype);
  });
});
