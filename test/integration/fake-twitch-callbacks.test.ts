import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { verifySignature } from '../../src/twitch/signature.js';
import { FakeTwitch } from '../support/fake-twitch.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { cleanEnv, freePort } from '../support/relay-process.js';

const FAST = { attempts: 3, retryBaseMs: 20, timeoutMs: 500 };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fake(): Promise<FakeTwitch> {
  const twitch = await new FakeTwitch({ delivery: FAST }).start();
  cleanups.push(() => twitch.stop());
  return twitch;
}

async function relay() {
  const running = await startTestRelay();
  cleanups.push(() => running.close());
  return running;
}

/** Creates a webhook subscription the way our CLI does (app token, Helix body). */
async function create(twitch: FakeTwitch, callback: string, secret = TEST_SECRET, type = 'channel.follow') {
  const response = await fetch(`http://127.0.0.1:${twitch.port}/eventsub/subscriptions`, {
    method: 'POST',
    headers: { Authorization: 'Bearer app-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type,
      version: type === 'channel.follow' ? '2' : '1',
      condition: {
        broadcaster_user_id: '1337',
        ...(type === 'channel.follow' && { moderator_user_id: '1337' }),
      },
      transport: { method: 'webhook', callback, secret },
    }),
  });
  const body = (await response.json()) as { data: Array<{ id: string; status: string }> };
  return { status: response.status, created: body.data[0]!, sub: twitch.subscriptions.at(-1)! };
}

async function trigger(twitch: FakeTwitch, request: Record<string, unknown>) {
  const response = await fetch(`http://127.0.0.1:${twitch.port}/__fake/trigger`, {
    method: 'POST',
    body: JSON.stringify(request),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Seen {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A callback that answers with `answer(seen, n)`; records what it was sent. */
async function callback(answer: (seen: Seen, n: number, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      answer(seen.at(-1)!, seen.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, seen };
}

describe('the fake Twitch calls back like Twitch', () => {
  it('create sends the signed challenge; an exact echo from the real relay enables the subscription', async () => {
    const [twitch, target] = [await fake(), await relay()];
    const { status, created, sub } = await create(twitch, `${target.url}/callback`);
    expect(status).toBe(202);
    expect(created.status).toBe('webhook_callback_verification_pending'); // what Twitch answers
    expect(sub.status).toBe('enabled');
    expect(await target.store.countEvents()).toBe(0); // a challenge is answered, not stored
  });

  it('a callback that rejects the signature (another secret) or echoes something else: webhook_callback_verification_failed', async () => {
    const [twitch, target] = [await fake(), await relay()];
    expect((await create(twitch, `${target.url}/callback`, 'another-secret-0123456789')).sub.status).toBe(
      'webhook_callback_verification_failed',
    );
    const json = await callback((_, __, res) => res.writeHead(200).end('{"challenge":"ok"}'));
    expect((await create(twitch, json.url, TEST_SECRET, 'stream.online')).sub.status).toBe(
      'webhook_callback_verification_failed',
    );
    const body = JSON.parse(json.seen[0]!.body) as { challenge: string; subscription: { status: string } };
    expect(json.seen[0]!.headers['twitch-eventsub-message-type']).toBe('webhook_callback_verification');
    expect(body.subscription.status).toBe('webhook_callback_verification_pending');
    const down = `http://127.0.0.1:${await freePort()}/callback`;
    expect((await create(twitch, down, TEST_SECRET, 'stream.offline')).sub.status).toBe(
      'webhook_callback_verification_failed',
    );
  });

  it('POST /__fake/trigger delivers a signed notification to an enabled subscription; the relay stores it', async () => {
    const [twitch, target] = [await fake(), await relay()];
    const { sub } = await create(twitch, `${target.url}/callback`);
    const { status, body } = await trigger(twitch, { type: 'channel.follow' });
    expect(status).toBe(200);
    const [delivery] = body.data as Array<{ messageId: string; delivered: boolean; attempts: unknown[] }>;
    expect(delivery).toMatchObject({ delivered: true, attempts: [{ retry: 0, status: 204 }] });
    const stored = await target.store.getEvent(delivery!.messageId);
    expect(stored!.envelope.subscription.id).toBe(sub.id);
    expect(stored!.envelope.event).toMatchObject({ broadcaster_user_id: '1337', user_login: 'cool_user' });
  });

  it('retries a non-2xx with the same message id, a growing retry count and a fresh signature, until 2xx', async () => {
    const twitch = await fake();
    const flaky = await callback((seen, n, res) => {
      if (seen.headers['twitch-eventsub-message-type'] === 'webhook_callback_verification')
        return res.writeHead(200, { 'Content-Type': 'text/plain' }).end(JSON.parse(seen.body).challenge);
      res.writeHead(n < 4 ? 503 : 204).end();
    });
    await create(twitch, flaky.url);
    const { body } = await trigger(twitch, { type: 'channel.follow' });
    expect(body.data).toMatchObject([
      { delivered: true, attempts: [{ status: 503 }, { status: 503 }, { status: 204 }] },
    ]);
    const notifications = flaky.seen.slice(1);
    expect(notifications.map((s) => s.headers['twitch-eventsub-message-retry'])).toEqual(['0', '1', '2']);
    expect(new Set(notifications.map((s) => s.headers['twitch-eventsub-message-id'])).size).toBe(1);
    for (const { headers, body: raw } of notifications) {
      const signed = verifySignature(
        [TEST_SECRET],
        String(headers['twitch-eventsub-message-id']),
        String(headers['twitch-eventsub-message-timestamp']),
        Buffer.from(raw),
        String(headers['twitch-eventsub-message-signature']),
      );
      expect(signed).toBe(true);
    }
  });

  it('a notification failed on every attempt (errors or timeouts) revokes with notification_failures_exceeded', async () => {
    const twitch = await fake();
    const broken = await callback((seen, _, res) => {
      const type = seen.headers['twitch-eventsub-message-type'];
      if (type === 'webhook_callback_verification')
        return res.writeHead(200).end(JSON.parse(seen.body).challenge);
      if (type === 'revocation') return res.writeHead(204).end();
      if (seen.headers['twitch-eventsub-message-retry'] === '1') return; // never answers: a timeout
      res.writeHead(500).end();
    });
    const { sub } = await create(twitch, broken.url);
    const { body } = await trigger(twitch, { type: 'channel.follow' });
    expect(body.data).toMatchObject([
      {
        delivered: false,
        attempts: [{ status: 500 }, { error: 'timeout' }, { status: 500 }],
        revoked: 'notification_failures_exceeded',
      },
    ]);
    expect(sub.status).toBe('notification_failures_exceeded');
    const revocation = broken.seen.at(-1)!;
    expect(revocation.headers['twitch-eventsub-message-type']).toBe('revocation');
    expect(JSON.parse(revocation.body)).toEqual({
      subscription: expect.objectContaining({ id: sub.id, status: 'notification_failures_exceeded' }),
    });
    // Revoked: Twitch sends it nothing more.
    const again = await trigger(twitch, { type: 'channel.follow' });
    expect(again.status).toBe(404);
    expect(again.body.message).toContain('status: notification_failures_exceeded');
  });

  it('revoke: the relay stores the revocation, the subscription takes that status', async () => {
    const [twitch, target] = [await fake(), await relay()];
    const { sub } = await create(twitch, `${target.url}/callback`, TEST_SECRET, 'stream.online');
    const { body } = await trigger(twitch, { subscription_id: sub.id, revoke: 'authorization_revoked' });
    const [delivery] = body.data as Array<{ messageId: string; delivered: boolean }>;
    expect(delivery!.delivered).toBe(true);
    expect(sub.status).toBe('authorization_revoked');
    expect((await target.store.getEvent(delivery!.messageId))!.envelope).toMatchObject({
      messageType: 'revocation',
      subscription: { id: sub.id, status: 'authorization_revoked' },
    });
  });

  it('sends no notification to a subscription whose challenge failed, and says why', async () => {
    const twitch = await fake();
    await create(twitch, `http://127.0.0.1:${await freePort()}/callback`);
    const { status, body } = await trigger(twitch, { type: 'channel.follow' });
    expect(status).toBe(404);
    expect(body.message).toContain(
      'no enabled channel.follow subscription (status: webhook_callback_verification_failed)',
    );
    expect(twitch.deliveries).toEqual([]);
  });

  it('npm run fake-twitch -- --trigger <type> asks the running fake (TWURPLE_MOCK_API_PORT) and prints each attempt', async () => {
    const [twitch, target] = [await fake(), await relay()];
    await create(twitch, `${target.url}/callback`);
    const ok = await runFakeMain(['--trigger', 'channel.follow'], {
      TWURPLE_MOCK_API_PORT: String(twitch.port),
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(`^✔ notification channel\\.follow \\S+ → ${target.url}/callback: 204\\n$`),
    );
    expect(await target.store.countEvents()).toBe(1);
    const none = await runFakeMain(['--trigger', 'stream.online'], {
      TWURPLE_MOCK_API_PORT: String(twitch.port),
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no enabled stream.online subscription');
    const nobody = await runFakeMain(['--trigger', 'stream.online', '--port', String(await freePort())], {});
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('start it with npm run fake-twitch');
  });
});

const FAKE_ENTRY = join(process.cwd(), 'build/fake-twitch/test/support/fake-twitch-main.js'); // built by pretest

function runFakeMain(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FAKE_ENTRY, ...args], { env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
