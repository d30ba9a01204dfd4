import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { fixture, followNotification, signedRequest, type SignedRequest } from '../support/sign.js';
import { LOG_LEVEL, startTestRelay, TEST_SECRET, type LogLine } from '../support/in-process-relay.js';

/** The documented bound (README, "What POST /callback answers"): deeper bodies are refused. */
const MAX_DEPTH = 64;

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;

beforeAll(async () => {
  relay = await startTestRelay({}, { captureLogs: true });
});
afterAll(async () => relay.close());

/** `{"a":{"a":…1…}}` with `levels` objects (or arrays) around the 1. */
function nested(levels: number, kind: 'object' | 'array' = 'object'): string {
  return kind === 'object'
    ? '{"a":'.repeat(levels) + '1' + '}'.repeat(levels)
    : '['.repeat(levels) + ']'.repeat(levels);
}

/** A follow notification whose event carries `value` (raw JSON text) under `deep`; the body adds 2 levels. */
function notificationWith(value: string): string {
  const { subscription, event } = followNotification() as { subscription: unknown; event: object };
  const head = JSON.stringify({ subscription, event }).slice(0, -2); // strip "}}"
  return `${head},"deep":${value}}}`;
}

const relayLines = (lines: LogLine[]) =>
  lines.filter((line) => line.level >= LOG_LEVEL.info && line.sink === undefined);

async function post(signed: SignedRequest) {
  const before = relay.logs().length;
  const res = await request(relay.url).post('/callback').set(signed.headers).send(signed.body);
  return { res, lines: relayLines(relay.logs().slice(before)) };
}

async function expectRefused(signed: SignedRequest) {
  const count = await relay.store.countEvents();
  const { res, lines } = await post(signed);
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: 'invalid_payload',
    message: expect.stringMatching(new RegExp(`nested deeper than ${MAX_DEPTH} levels`)),
  });
  // Logged once, at warn, as the payload's fault; the store is not blamed and stays ready.
  expect(lines).toEqual([
    expect.objectContaining({ level: LOG_LEVEL.warn, status: 400, reason: 'invalid_payload' }),
  ]);
  expect(await relay.store.countEvents()).toBe(count);
  expect(await relay.store.getEvent(signed.messageId)).toBeNull();
  expect((await request(relay.url).get('/readyz')).status).toBe(200);
}

describe('a signed body nested too deeply is refused with 400, never 503', () => {
  it.each([
    ['an event nested 100,000 objects deep', () => notificationWith(nested(100_000))],
    ['an event nested 100,000 arrays deep', () => notificationWith(nested(100_000, 'array'))],
    ['an event one level past the bound', () => notificationWith(nested(MAX_DEPTH - 1))],
  ])('%s → 400 invalid_payload, one warn line, nothing stored', async (_label, body) => {
    await expectRefused(signedRequest(TEST_SECRET, body()));
  });

  it('a revocation whose condition is nested 100,000 deep → 400 too', async () => {
    const { subscription } = fixture('revocation.json') as { subscription: Record<string, unknown> };
    const head = JSON.stringify({ subscription: { ...subscription, condition: {} } });
    const body = head.replace('"condition":{}', `"condition":{"deep":${nested(100_000)}}`);
    await expectRefused(signedRequest(TEST_SECRET, body, { messageType: 'revocation' }));
  });

  it('a challenge nested 100,000 deep → 400 too (not answered)', async () => {
    const body = JSON.stringify(fixture('challenge.json')).replace(/}$/, `,"deep":${nested(100_000)}}`);
    await expectRefused(signedRequest(TEST_SECRET, body, { messageType: 'webhook_callback_verification' }));
  });

  it('Twitch retries the same poison message: refused again, still nothing stored', async () => {
    const first = signedRequest(TEST_SECRET, notificationWith(nested(100_000)));
    await expectRefused(first);
    await expectRefused(signedRequest(TEST_SECRET, first.body, { messageId: first.messageId, retry: 1 }));
  });
});

describe('bodies within the bound are stored as usual', () => {
  it('an event exactly at the bound is stored (and the next message still works)', async () => {
    const signed = signedRequest(TEST_SECRET, notificationWith(nested(MAX_DEPTH - 2)));
    const { res } = await post(signed);
    expect(res.status).toBe(204);
    const stored = await relay.store.getEvent(signed.messageId);
    expect(JSON.stringify(stored?.envelope.event)).toContain(nested(MAX_DEPTH - 2));
  });

  it('brackets inside strings (escaped quotes too) do not count as nesting', async () => {
    const text = `${'[{'.repeat(5000)}\\" ${'{['.repeat(5000)}\\\\`;
    const signed = signedRequest(TEST_SECRET, notificationWith(`"${text}"`));
    const { res } = await post(signed);
    expect(res.status).toBe(204);
    const stored = await relay.store.getEvent(signed.messageId);
    expect((stored?.envelope.event as { deep: string }).deep).toBe(JSON.parse(`"${text}"`));
  });
});
