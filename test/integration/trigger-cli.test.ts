import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signMessage } from '../../src/twitch/signature.js';
import { startTestRelay } from '../support/in-process-relay.js';
import { freePort, runCli } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

// Each test runs the CLI as a process several times; on a busy 2-core machine that takes a while.
jest.setTimeout(90_000);

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;
let env: Record<string, string>;
const cleanups: (() => unknown)[] = [];

// The relay verifies with the secret it generated into DATA_DIR (no EVENTSUB_SECRET): the CLI,
// given the same DATA_DIR and PORT, signs with it and sends to it by default.
beforeEach(async () => {
  relay = await startTestRelay({ EVENTSUB_SECRET: '' });
  env = { DATA_DIR: relay.config.dataDir, PORT: String(relay.port), STORE_URL: relay.config.store.url };
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await relay.close();
});

const trigger = (args: string[], extra: Record<string, string> = {}) =>
  runCli(['trigger', ...args], { ...env, ...extra });
const json = (stdout: string) =>
  JSON.parse(stdout) as { url: string; results: Array<Record<string, unknown> & { messageId: string }> };

describe('eventsub-relay trigger', () => {
  it('sends a signed sample notification to the local relay, which stores it', async () => {
    const result = await trigger(['channel.follow']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^✔ notification channel\\.follow v2 → http://127\\.0\\.0\\.1:${relay.port}/callback\\n  message id (\\S+): 204, accepted`,
      ),
    );
    const id = /message id (\S+):/.exec(result.stdout)![1]!;
    const stored = await relay.store.getEvent(id);
    expect(stored!.envelope).toMatchObject({
      type: 'channel.follow',
      version: '2',
      messageType: 'notification',
    });
    expect(stored!.envelope.event).toMatchObject({ user_login: 'cool_user', broadcaster_user_id: '1337' });
  });

  it('--count, --broadcaster, --version and --json: N distinct messages, each answered', async () => {
    const result = await trigger([
      'channel.moderate',
      '--version',
      '1',
      '--broadcaster',
      '4242',
      '--count',
      '3',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const { url, results } = json(result.stdout);
    expect(url).toBe(`http://127.0.0.1:${relay.port}/callback`);
    expect(results.map((r) => [r.messageType, r.type, r.version, r.status, r.ok])).toEqual(
      Array(3).fill(['notification', 'channel.moderate', '1', 204, true]),
    );
    expect(new Set(results.map((r) => r.messageId)).size).toBe(3);
    expect(await relay.store.countEvents()).toBe(3);
    const stored = await relay.store.getEvent(results[0]!.messageId);
    expect(stored!.envelope.subscription.condition).toEqual({
      broadcaster_user_id: '4242',
      moderator_user_id: '4242',
    });
  });

  it('--revocation sends a revocation the relay stores as one', async () => {
    const result = await trigger(['stream.online', '--revocation', '--json']);
    expect(result.code).toBe(0);
    const stored = await relay.store.getEvent(json(result.stdout).results[0]!.messageId);
    expect(stored!.envelope).toMatchObject({ messageType: 'revocation', event: null });
    expect(stored!.envelope.subscription.status).toBe('authorization_revoked');
  });

  it('--challenge: the relay echoes the challenge exactly, and nothing is stored', async () => {
    const text = await trigger(['channel.follow', '--challenge']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(': 200 text/plain, challenge echoed exactly\n');
    const machine = json((await trigger(['channel.follow', '--challenge', '--json'])).stdout);
    expect(machine.results[0]).toMatchObject({ status: 200, ok: true, challengeEchoed: true });
    expect(await relay.store.countEvents()).toBe(0);
  });

  it('--challenge against a callback that does not echo it: ✗, exit 1', async () => {
    const wrong = await answering((_, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'),
    );
    const result = await trigger(['channel.follow', '--challenge', '--to', wrong]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ webhook_callback_verification channel\.follow v2/);
    expect(result.stdout).toContain('the body is not the challenge');
    expect(result.stdout).toContain('Twitch would fail the subscription');
  });

  it('--retrigger re-sends a stored event with its id and a fresh timestamp: 2xx, a duplicate, nothing new stored or delivered', async () => {
    const first = json((await trigger(['channel.cheer', '--json'])).stdout).results[0]!;
    const before = await relay.store.getEvent(first.messageId);
    const again = await trigger(['--retrigger', first.messageId]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`message id ${first.messageId}: 204, accepted as a duplicate`);
    expect(await relay.store.countEvents()).toBe(1);
    const after = await relay.store.getEvent(first.messageId);
    expect(after!.envelope).toEqual(before!.envelope);
    expect(after!.attempts).toEqual(before!.attempts);
    expect(after!.deliveries).toEqual(before!.deliveries);

    // What it sent, seen by another callback: same id and body, a new timestamp, a valid signature.
    const captured: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const capture = await answering((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        captured.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    expect((await trigger(['--retrigger', first.messageId, '--to', capture])).code).toBe(0);
    const [{ headers, body }] = captured as [(typeof captured)[0]];
    expect(headers['twitch-eventsub-message-id']).toBe(first.messageId);
    expect(headers['twitch-eventsub-message-timestamp']).not.toBe(before!.envelope.timestamp);
    // Byte for byte what the first trigger sent: compact JSON, and the relay keeps the text as received.
    expect(body).toBe(
      JSON.stringify({ subscription: before!.envelope.subscription, event: before!.envelope.event }),
    );
    const secret = readFileSync(join(relay.config.dataDir, 'eventsub-secret'), 'utf8').trim();
    const timestamp = String(headers['twitch-eventsub-message-timestamp']);
    expect(headers['twitch-eventsub-message-signature']).toBe(
      signMessage(secret, first.messageId, timestamp, body),
    );
  });

  it('--retrigger of an id the store does not have: exit 1, nothing sent', async () => {
    const result = await trigger(['--retrigger', 'no-such-id']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no stored event with message id no-such-id');
    expect(result.stdout).toBe('');
  });

  it('a secret the relay does not accept: 403 invalid_signature, what to do, exit 1, nothing stored', async () => {
    const result = await trigger(['stream.online', '--secret', 'not-the-relay-secret']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ notification stream\.online v1/);
    expect(result.stdout).toContain('403 application/json, invalid_signature');
    expect(result.stdout).toContain("sign with the relay's secret");
    expect(await relay.store.countEvents()).toBe(0);
  });

  it('nothing listening at --to: says so and how to start the relay, exit 1', async () => {
    const result = await trigger(['stream.online', '--to', `http://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no answer, nothing answered (ECONNREFUSED): start the relay');
  });

  it('--to public sends to PUBLIC_URL/callback', async () => {
    const result = await trigger(['stream.offline', '--to', 'public', '--json'], {
      PUBLIC_URL: relay.url,
      PORT: String(await freePort()), // not where the relay is: the public URL must be used
    });
    expect(result.code).toBe(0);
    expect(json(result.stdout).url).toBe(`${relay.url}/callback`);
    expect(await relay.store.countEvents()).toBe(1);
  });

  it('an unknown type, or no type: what to do, exit 1, nothing sent', async () => {
    const typo = await trigger(['channel.folow']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean channel.follow?');
    const none = await trigger([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('name the EventSub type to send');
    expect(await relay.store.countEvents()).toBe(0);
  });

  it('with no secret anywhere it refuses and creates nothing (no DATA_DIR, no secret file)', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const dataDir = join(dir.path, 'data');
    const result = await runCli(['trigger', 'stream.online'], {
      DATA_DIR: dataDir,
      PORT: String(relay.port),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no EventSub secret to sign with');
    expect(result.stderr).toContain('--secret');
    expect(existsSync(dataDir)).toBe(false);
    expect(await relay.store.countEvents()).toBe(0);
  });
});

/** A callback that answers every request with `handler`; returns its URL. */
async function answering(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
}
