import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { fixture, followNotification, signedRequest, type SignedRequest } from '../support/sign.js';
import { LOG_LEVEL, startTestRelay, TEST_SECRET, type LogLine } from '../support/in-process-relay.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;

beforeAll(async () => {
  relay = await startTestRelay({ MAX_BODY_BYTES: '4096' }, { captureLogs: true });
});
afterAll(async () => relay.close());

/** Runs `act` and returns the log lines the relay wrote meanwhile (tests run one at a time). */
async function linesDuring(act: () => Promise<unknown>): Promise<{ lines: LogLine[]; text: string }> {
  const textBefore = relay.logText().length;
  const before = relay.logs().length;
  await act();
  return { lines: relay.logs().slice(before), text: relay.logText().slice(textBefore) };
}

const post = (signed: SignedRequest) =>
  request(relay.url).post('/callback').set(signed.headers).send(signed.body);

function tampered(change: (signed: SignedRequest) => void): SignedRequest {
  const signed = signedRequest(TEST_SECRET, followNotification());
  change(signed);
  return signed;
}

describe('every /callback rejection is logged exactly once, at its documented level, without secrets', () => {
  const padded = followNotification();
  (padded.event as Record<string, unknown>).padding = 'x'.repeat(5000);

  it.each([
    ['missing_header', 400, () => tampered((s) => delete s.headers['Twitch-Eventsub-Message-Type'])],
    [
      'malformed_header',
      400,
      () => tampered((s) => (s.headers['Twitch-Eventsub-Message-Id'] = 'a'.repeat(200))),
    ],
    ['invalid_signature', 403, () => signedRequest('some-other-secret-123', followNotification())],
    [
      'stale_timestamp',
      403,
      () =>
        signedRequest(TEST_SECRET, followNotification(), {
          timestamp: new Date(Date.now() - 11 * 60_000).toISOString(),
        }),
    ],
    ['invalid_json', 400, () => signedRequest(TEST_SECRET, 'not json {')],
    ['invalid_payload', 400, () => signedRequest(TEST_SECRET, { subscription: {} })],
    [
      'unknown_message_type',
      400,
      () => signedRequest(TEST_SECRET, followNotification(), { messageType: 'telepathy' }),
    ],
    ['payload_too_large', 413, () => signedRequest(TEST_SECRET, padded)],
  ])('%s (%i) → one warn line with the reason', async (reason, status, make) => {
    const signed = make();
    const { lines, text } = await linesDuring(async () => expect((await post(signed)).status).toBe(status));
    expect(lines).toEqual([
      expect.objectContaining({
        level: LOG_LEVEL.warn,
        status,
        reason,
        msg: expect.stringMatching(/^callback rejected: /),
      }),
    ]);
    expect(text).not.toContain(TEST_SECRET);
    expect(text).not.toContain(signed.headers['Twitch-Eventsub-Message-Signature'] ?? 'sha256=');
    expect(text).not.toMatch(/sha256=[0-9a-f]{8}/);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('405 for %s → one info line with the method', async (method) => {
    const { lines } = await linesDuring(async () =>
      expect((await request(relay.url)[method.toLowerCase() as 'get']('/callback')).status).toBe(405),
    );
    expect(lines).toEqual([
      expect.objectContaining({ level: LOG_LEVEL.info, status: 405, method, reason: 'method_not_allowed' }),
    ]);
  });
});

/** What the relay itself logged at info or above (not what the log sink printed for an event). */
const relayLines = (lines: LogLine[]) =>
  lines.filter((line) => line.level >= LOG_LEVEL.info && line.sink === undefined);

describe('a revocation is logged exactly once: error for the four statuses that stop events, warn otherwise', () => {
  function revocation(status: string) {
    const base = fixture('revocation.json') as { subscription: Record<string, unknown> };
    return { subscription: { ...base.subscription, id: `revoked-${status}-${Math.random()}`, status } };
  }

  it.each([
    [
      'authorization_revoked',
      LOG_LEVEL.error,
      /auth login --scopes moderator:read:followers .*, then eventsub-relay sync/,
    ],
    ['user_removed', LOG_LEVEL.error, /no longer exists/],
    ['notification_failures_exceeded', LOG_LEVEL.error, /eventsub-relay sync/],
    ['version_removed', LOG_LEVEL.error, /eventsub-relay sync/],
    ['moderator_removed', LOG_LEVEL.warn, /moderator/],
    ['beta_maintenance', LOG_LEVEL.warn, /eventsub-relay sync/],
  ])('%s → one line at level %i with type, id, status and what to do', async (status, level, advice) => {
    const payload = revocation(status);
    const signed = signedRequest(TEST_SECRET, payload, { messageType: 'revocation' });
    const { lines, text } = await linesDuring(async () => expect((await post(signed)).status).toBe(204));
    // Lines from sinks (the default log sink prints each stored event) are delivery, not this log.
    const loud = relayLines(lines);
    expect(loud).toEqual([
      expect.objectContaining({
        level,
        type: 'channel.follow',
        subscriptionId: payload.subscription.id,
        status,
        msg: expect.stringMatching(advice),
      }),
    ]);
    expect(loud[0]!.msg).toContain(`Twitch revoked channel.follow v1 (${status})`);
    expect(loud[0]!.msg).toMatch(/\. To restore it: \S/);
    expect(text).not.toContain(TEST_SECRET);

    // Twitch's retry of the same revocation: stored once, and not logged again above debug.
    const retry = signedRequest(TEST_SECRET, payload, {
      messageType: 'revocation',
      messageId: signed.messageId,
    });
    const again = await linesDuring(async () => expect((await post(retry)).status).toBe(204));
    expect(relayLines(again.lines)).toEqual([]);
  });
});

describe('a store that cannot commit', () => {
  it('503 store_unavailable → one error line with the reason, nothing acknowledged', async () => {
    const broken = await startTestRelay({}, { captureLogs: true });
    try {
      await broken.store.close(); // every write now fails, as with a broken disk
      const before = broken.logs().length;
      const signed = signedRequest(TEST_SECRET, followNotification());
      const res = await request(broken.url).post('/callback').set(signed.headers).send(signed.body);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        error: 'store_unavailable',
        message: expect.stringMatching(/Twitch will retry/),
      });
      // (The delivery worker's own errors about the closed store are the sink's lines, not this one.)
      expect(relayLines(broken.logs().slice(before))).toEqual([
        expect.objectContaining({ level: LOG_LEVEL.error, status: 503, reason: 'store_unavailable' }),
      ]);
    } finally {
      await broken.close();
    }
  });
});
