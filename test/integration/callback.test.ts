import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { fixture, followNotification, signedRequest, twitchTimestamp } from '../support/sign.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;

beforeAll(async () => {
  relay = await startTestRelay({ MAX_BODY_BYTES: '4096' });
});
afterAll(async () => relay.close());

function post(signed: { headers: Record<string, string>; body: string }) {
  return request(relay.url).post('/callback').set(signed.headers).send(signed.body);
}

/** Every rejection must leave the store exactly as it was. */
async function expectRejected(
  signed: { headers: Record<string, string>; body: string },
  status: number,
  code: string,
  messagePart: RegExp,
) {
  const before = await relay.store.countEvents();
  const res = await post(signed);
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: code, message: expect.stringMatching(messagePart) });
  expect(await relay.store.countEvents()).toBe(before);
  return res;
}

describe('POST /callback accepts what Twitch sends', () => {
  it('answers the challenge with 200 text/plain and exactly the challenge', async () => {
    const before = await relay.store.countEvents();
    const body = fixture('challenge.json');
    const res = await post(
      signedRequest(TEST_SECRET, body, { messageType: 'webhook_callback_verification' }),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(body.challenge);
    expect(await relay.store.countEvents()).toBe(before);
  });

  it('answers a conduit shard challenge (conduit_shard instead of subscription)', async () => {
    const before = await relay.store.countEvents();
    const body = fixture('challenge.conduit-shard.json');
    expect(body.conduit_shard).toBeDefined();
    expect(body.subscription).toBeUndefined();
    const res = await post(
      signedRequest(TEST_SECRET, body, { messageType: 'webhook_callback_verification' }),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(body.challenge);
    expect(await relay.store.countEvents()).toBe(before);
  });

  it.each([
    ['now, in nanoseconds', () => twitchTimestamp()],
    ['a fixed nanosecond fraction', () => new Date().toISOString().replace(/\.\d{3}Z$/, '.123456789Z')],
    ['9 minutes old, in nanoseconds', () => twitchTimestamp(new Date(Date.now() - 9 * 60_000))],
  ])('accepts a Twitch-style timestamp (%s) and stores it exactly as sent', async (_label, make) => {
    const timestamp = make();
    expect(timestamp).toMatch(/\.\d{9}Z$/);
    const signed = signedRequest(TEST_SECRET, followNotification(), { timestamp });
    const res = await post(signed);
    expect(res.status).toBe(204);
    expect((await relay.store.getEvent(signed.messageId))?.envelope.timestamp).toBe(timestamp);
  });

  it.each([
    'notification.channel.follow.v2.json',
    'notification.channel.ban.v1.json',
    'notification.channel.chat.message.v1.json',
    'notification.channel.cheer.v1.json',
    'notification.channel.raid.v1.json',
    'notification.channel.subscribe.v1.json',
    'notification.channel.subscription.gift.v1.json',
    'notification.channel.channel_points_custom_reward_redemption.add.v1.json',
    'notification.stream.online.v1.json',
    'notification.stream.offline.v1.json',
    'notification.user.authorization.revoke.v1.json',
    'notification.channel.follow.v1.handling-webhook-events-example.json',
  ])('stores %s with everything Twitch sent, then answers 204', async (name) => {
    const payload = fixture(name) as {
      subscription: Record<string, unknown>;
      event: Record<string, unknown>;
    };
    const signed = signedRequest(TEST_SECRET, payload, { retry: 2 });
    const res = await post(signed);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const stored = await relay.store.getEvent(signed.messageId);
    expect(stored?.envelope).toEqual({
      id: signed.messageId,
      messageType: 'notification',
      type: payload.subscription.type,
      version: payload.subscription.version,
      timestamp: signed.headers['Twitch-Eventsub-Message-Timestamp'],
      retry: 2,
      subscription: payload.subscription,
      event: payload.event,
      receivedAt: expect.any(String),
    });
  });

  it('stores a revocation with event null and answers 204', async () => {
    const payload = fixture('revocation.json') as { subscription: Record<string, unknown> };
    const signed = signedRequest(TEST_SECRET, payload, { messageType: 'revocation' });
    const before = await relay.store.countEvents();
    const res = await post(signed);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['content-length'] ?? '0').toBe('0');
    expect(await relay.store.countEvents()).toBe(before + 1);
    const stored = await relay.store.getEvent(signed.messageId);
    expect(stored?.envelope.messageType).toBe('revocation');
    expect(stored?.envelope.event).toBeNull();
    expect(stored?.envelope.subscription).toEqual(payload.subscription);
  });

  it('answers a duplicate message id with 204 and stores nothing new', async () => {
    const signed = signedRequest(TEST_SECRET, followNotification());
    expect((await post(signed)).status).toBe(204);
    const after1 = await relay.store.countEvents();
    // Twitch's retry: same id, new timestamp and signature, retry counter up.
    const retry = signedRequest(TEST_SECRET, followNotification('other'), {
      messageId: signed.messageId,
      retry: 1,
    });
    expect((await post(retry)).status).toBe(204);
    expect(await relay.store.countEvents()).toBe(after1);
    expect((await relay.store.getEvent(signed.messageId))?.envelope.retry).toBe(0);
  });

  it('sets exactly the security headers helmet sets on the express routes', async () => {
    const res = await post(signedRequest(TEST_SECRET, followNotification()));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    const helmetHeaders = (headers: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(headers).filter(([name]) =>
          /^(content-security-policy|cross-origin-|origin-agent-cluster|referrer-policy|strict-transport-security|x-)/.test(
            name,
          ),
        ),
      );
    const express = await request(relay.url).get('/healthz');
    expect(helmetHeaders(res.headers)).toEqual(helmetHeaders(express.headers));
    expect(Object.keys(helmetHeaders(res.headers)).length).toBeGreaterThanOrEqual(10);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('POST /callback rejects, clearly, and stores nothing', () => {
  it('413 for a body over MAX_BODY_BYTES', async () => {
    const payload = followNotification();
    (payload.event as Record<string, unknown>).padding = 'x'.repeat(5000);
    await expectRejected(signedRequest(TEST_SECRET, payload), 413, 'payload_too_large', /MAX_BODY_BYTES/);
  });

  it('413 for a chunked body that grows past the limit (no Content-Length)', async () => {
    const { Readable } = await import('node:stream');
    const http = await import('node:http');
    const before = await relay.store.countEvents();
    const answer = await new Promise<{ status: number; type?: string; text: string }>((resolve, reject) => {
      const req = http.request(`${relay.url}/callback`, {
        method: 'POST',
        headers: { 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], text }),
        );
      });
      req.on('error', reject);
      Readable.from([Buffer.alloc(3000, 'a'), Buffer.alloc(3000, 'b')]).pipe(req);
    });
    expect(answer.status).toBe(413);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({
      error: 'payload_too_large',
      message: expect.stringMatching(/MAX_BODY_BYTES \(4096\)/),
    });
    expect(await relay.store.countEvents()).toBe(before);
  });

  it.each([
    'Twitch-Eventsub-Message-Id',
    'Twitch-Eventsub-Message-Timestamp',
    'Twitch-Eventsub-Message-Signature',
    'Twitch-Eventsub-Message-Type',
  ])('400 when %s is missing', async (header) => {
    const signed = signedRequest(TEST_SECRET, followNotification());
    delete signed.headers[header];
    await expectRejected(signed, 400, 'missing_header', new RegExp(header, 'i'));
  });

  it.each([
    ['Twitch-Eventsub-Message-Signature', 'sha1=abc'],
    ['Twitch-Eventsub-Message-Signature', 'sha256=xyz'],
    ['Twitch-Eventsub-Message-Timestamp', 'yesterday'],
    ['Twitch-Eventsub-Message-Id', 'a'.repeat(200)],
    ['Twitch-Eventsub-Message-Type', 'Notification!'],
  ])('400 when %s is malformed (%s)', async (header, value) => {
    const signed = signedRequest(TEST_SECRET, followNotification());
    signed.headers[header] = value;
    await expectRejected(signed, 400, 'malformed_header', new RegExp(header, 'i'));
  });

  it('403 for a signature made with another secret', async () => {
    await expectRejected(
      signedRequest('some-other-secret-123', followNotification()),
      403,
      'invalid_signature',
      /different secret than EVENTSUB_SECRET; .*`eventsub-relay sync --rotate-secret`$/,
    );
  });

  it('403 for a body changed after signing', async () => {
    const signed = signedRequest(TEST_SECRET, followNotification());
    signed.body = signed.body.replace('cool_user', 'evil_user');
    await expectRejected(signed, 403, 'invalid_signature', /secret/);
  });

  it.each([
    ['11 minutes old', -11 * 60_000],
    ['11 minutes in the future', 11 * 60_000],
  ])('403 for a timestamp %s, even correctly signed', async (_label, offset) => {
    const timestamp = new Date(Date.now() + offset).toISOString();
    await expectRejected(
      signedRequest(TEST_SECRET, followNotification(), { timestamp }),
      403,
      'stale_timestamp',
      /10 minutes/,
    );
  });

  it('403 for a nanosecond timestamp 11 minutes old (the fraction does not hide its age)', async () => {
    const timestamp = twitchTimestamp(new Date(Date.now() - 11 * 60_000));
    await expectRejected(
      signedRequest(TEST_SECRET, followNotification(), { timestamp }),
      403,
      'stale_timestamp',
      /10 minutes/,
    );
  });

  it('accepts a timestamp 9 minutes old (inside the window)', async () => {
    const timestamp = new Date(Date.now() - 9 * 60_000).toISOString();
    expect((await post(signedRequest(TEST_SECRET, followNotification(), { timestamp }))).status).toBe(204);
  });

  it('400 for a signed body that is not JSON', async () => {
    await expectRejected(signedRequest(TEST_SECRET, 'not json {'), 400, 'invalid_json', /JSON/);
  });

  it('400 for a notification without an event', async () => {
    const payload = { subscription: (followNotification() as { subscription: unknown }).subscription };
    await expectRejected(signedRequest(TEST_SECRET, payload), 400, 'invalid_payload', /event/);
  });

  it('400 for a challenge without a challenge string', async () => {
    const payload = { subscription: (followNotification() as { subscription: unknown }).subscription };
    await expectRejected(
      signedRequest(TEST_SECRET, payload, { messageType: 'webhook_callback_verification' }),
      400,
      'invalid_payload',
      /challenge/,
    );
  });

  it('400 for an unknown message type, after the signature held', async () => {
    await expectRejected(
      signedRequest(TEST_SECRET, followNotification(), { messageType: 'telepathy' }),
      400,
      'unknown_message_type',
      /telepathy/,
    );
  });

  it('an unsigned request cannot claim a message id (dedup only after verification)', async () => {
    const genuine = signedRequest(TEST_SECRET, followNotification());
    const forged = signedRequest('attacker-secret-000', followNotification(), {
      messageId: genuine.messageId,
    });
    await expectRejected(forged, 403, 'invalid_signature', /secret/);
    expect((await post(genuine)).status).toBe(204);
    expect(await relay.store.getEvent(genuine.messageId)).not.toBeNull();
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    '405 with Allow: POST and a JSON body for %s, even signed, nothing stored',
    async (method) => {
      const before = await relay.store.countEvents();
      const signed = signedRequest(TEST_SECRET, followNotification());
      const send = request(relay.url)[method.toLowerCase() as 'put'];
      const res = await send(`/callback`).set(signed.headers).send(signed.body);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        error: 'method_not_allowed',
        message: 'only POST is accepted on /callback (Twitch EventSub)',
      });
      expect(await relay.store.countEvents()).toBe(before);
      expect(await relay.store.getEvent(signed.messageId)).toBeNull();
    },
  );

  it('405 with Allow: POST for HEAD (no body, as HEAD requires), nothing stored', async () => {
    const before = await relay.store.countEvents();
    const res = await request(relay.url).head('/callback');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text ?? '').toBe('');
    expect(await relay.store.countEvents()).toBe(before);
  });

  it('never answers with HTML, even for unknown paths', async () => {
    const res = await request(relay.url).post('/nope').send('x');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('health', () => {
  it('GET /healthz → 200 {"status":"ok"}', async () => {
    const res = await request(relay.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz → 200 while the store is writable', async () => {
    const res = await request(relay.url).get('/readyz');
    expect(res.status).toBe(200);
  });

  it('GET /metrics exposes callback counters', async () => {
    const res = await request(relay.url).get('/metrics');
    expect(res.text).toMatch(/eventsub_callback_requests_total\{outcome="stored"\} \d+/);
  });
});
