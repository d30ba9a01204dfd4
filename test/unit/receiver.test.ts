import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createReceiver, TIMESTAMP_TOLERANCE_MS, type Receive } from '../../src/receiver/receiver.js';
import { TwitchHeader } from '../../src/twitch/headers.js';
import { startIntakeRig, type IntakeRig } from '../support/intake-rig.js';
import { fixture, followNotification, signedRequest, twitchTimestamp } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The receiver without HTTP, feeding the real intake (SQLite store, file sink): what each request
 * is answered, what is stored, and what reaches the sink. Each refusal is followed by one good
 * event, so "nothing stored, nothing forwarded" is checked once the pipeline has demonstrably run.
 */

const SECRET = 'current-secret-0123456789';
const PREVIOUS = 'previous-secret-0123456789';
const NOW = Date.parse('2026-11-23T10:00:00.000Z');

let rig: IntakeRig;
let receive: Receive;
beforeEach(async () => {
  rig = await startIntakeRig();
  receive = createReceiver({ secrets: () => [SECRET, PREVIOUS], intake: rig.intake, now: () => NOW });
});
afterEach(() => rig.close());

type Options = Parameters<typeof signedRequest>[2];

/** A request as Node hands it to the receiver: lower-case header names, the raw body bytes. */
function request(payload: unknown, options: Options = {}, secret = SECRET) {
  const signed = signedRequest(secret, payload, { timestamp: twitchTimestamp(new Date(NOW)), ...options });
  const headers = Object.fromEntries(
    Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { headers, body: Buffer.from(signed.body), messageId: signed.messageId };
}

/** Sends one good notification and waits until the sink has it: the pipeline ran after whatever came before. */
async function expectOnlyTheNextEventStoredAndDelivered(): Promise<void> {
  const good = request(followNotification());
  expect(await receive(good.headers, good.body)).toMatchObject({ kind: 'stored', status: 204 });
  await waitFor(() => rig.delivered().length > 0, 10_000, 'the good event to reach the sink');
  expect((await rig.store.listEvents({})).map((event) => event.id)).toEqual([good.messageId]);
  expect(rig.delivered().map((envelope) => envelope.id)).toEqual([good.messageId]);
}

describe('createReceiver: accepted', () => {
  it('a notification: stored, then delivered with the envelope built from the headers and the body as signed', async () => {
    const payload = fixture('notification.channel.cheer.v1.json');
    const timestamp = '2026-11-23T09:59:30.123456789Z';
    const req = request(payload, { timestamp, retry: 1 });
    const decision = await receive(req.headers, req.body);
    expect(decision).toMatchObject({
      kind: 'stored',
      status: 204,
      envelope: {
        id: req.messageId,
        messageType: 'notification',
        type: 'channel.cheer',
        version: '1',
        timestamp,
        retry: 1,
        receivedAt: new Date(NOW).toISOString(),
      },
    });
    const stored = await rig.store.getEvent(req.messageId);
    expect(stored!.envelope.event).toEqual((payload as { event: unknown }).event);
    await waitFor(() => rig.deliveredLines().length === 1);
    // The sink's line carries the event's text exactly as it was in the signed body.
    expect(rig.deliveredLines()[0]).toContain(JSON.stringify((payload as { event: unknown }).event));
  });

  it('a revocation: stored with event null and delivered', async () => {
    const req = request(fixture('revocation.json'), { messageType: 'revocation' });
    expect(await receive(req.headers, req.body)).toMatchObject({
      kind: 'stored',
      envelope: { messageType: 'revocation', event: null, subscription: { status: 'authorization_revoked' } },
    });
    await waitFor(() => rig.delivered().length === 1);
    expect(rig.delivered()[0]).toMatchObject({ id: req.messageId, event: null });
  });

  it('the same message id again (Twitch resends): 204 duplicate, stored and delivered once', async () => {
    const req = request(followNotification());
    expect((await receive(req.headers, req.body)).kind).toBe('stored');
    expect(await receive(req.headers, req.body)).toMatchObject({ kind: 'duplicate', status: 204 });
    const next = request(followNotification());
    expect((await receive(next.headers, next.body)).kind).toBe('stored');
    await waitFor(() => rig.delivered().length === 2, 10_000, 'both events to reach the sink');
    expect((await rig.store.listEvents({})).map((event) => event.id).sort()).toEqual(
      [req.messageId, next.messageId].sort(),
    );
    expect(rig.delivered().map((envelope) => envelope.id)).toEqual([req.messageId, next.messageId]);
  });

  it('a message signed with the previous secret during rotation', async () => {
    const req = request(followNotification(), {}, PREVIOUS);
    expect((await receive(req.headers, req.body)).kind).toBe('stored');
  });

  it(`a timestamp just inside ±${TIMESTAMP_TOLERANCE_MS / 60_000} minutes`, async () => {
    for (const offset of [-TIMESTAMP_TOLERANCE_MS + 1000, TIMESTAMP_TOLERANCE_MS - 1000]) {
      const req = request(followNotification(), { timestamp: twitchTimestamp(new Date(NOW + offset)) });
      expect((await receive(req.headers, req.body)).kind).toBe('stored');
    }
  });

  it('the challenge: 200 with the challenge, nothing stored or delivered', async () => {
    const req = request(fixture('challenge.json'), { messageType: 'webhook_callback_verification' });
    expect(await receive(req.headers, req.body)).toEqual({
      kind: 'challenge',
      status: 200,
      challenge: fixture('challenge.json').challenge,
      subscriptionType: 'channel.follow',
    });
    await expectOnlyTheNextEventStoredAndDelivered();
  });
});

describe('createReceiver: refused, nothing stored or delivered', () => {
  it('a missing header → 400 naming it', async () => {
    const req = request(followNotification());
    delete req.headers[TwitchHeader.messageSignature];
    expect(await receive(req.headers, req.body)).toMatchObject({
      status: 400,
      code: 'missing_header',
      message: expect.stringContaining(TwitchHeader.messageSignature),
    });
    await expectOnlyTheNextEventStoredAndDelivered();
  });

  it('a signature made with another secret → 403 saying how to recreate the subscriptions', async () => {
    const req = request(followNotification(), {}, 'some-other-secret-0123456789');
    expect(await receive(req.headers, req.body)).toEqual({
      kind: 'rejected',
      status: 403,
      code: 'invalid_signature',
      message: expect.stringContaining('eventsub-relay sync --rotate-secret'),
    });
    await expectOnlyTheNextEventStoredAndDelivered();
  });

  it('the 403 message can be replaced (it names where the secret came from)', async () => {
    const custom = createReceiver({
      secrets: () => [SECRET],
      intake: rig.intake,
      now: () => NOW,
      invalidSignatureMessage: 'EVENTSUB_SECRET_FILE does not match',
    });
    const req = request(followNotification(), {}, PREVIOUS);
    expect(await custom(req.headers, req.body)).toMatchObject({
      status: 403,
      message: 'EVENTSUB_SECRET_FILE does not match',
    });
    await expectOnlyTheNextEventStoredAndDelivered();
  });

  it('a body changed after signing → 403', async () => {
    const req = request(followNotification('1'));
    const changed = Buffer.from(req.body.toString().replace('"user_id":"1"', '"user_id":"2"'));
    expect(await receive(req.headers, changed)).toMatchObject({ status: 403, code: 'invalid_signature' });
    await expectOnlyTheNextEventStoredAndDelivered();
  });

  it.each([
    ['older', -TIMESTAMP_TOLERANCE_MS - 1000],
    ['newer', TIMESTAMP_TOLERANCE_MS + 1000],
  ])('a timestamp more than 10 minutes %s than the clock → 403 naming the clock', async (_, offset) => {
    const req = request(followNotification(), { timestamp: twitchTimestamp(new Date(NOW + offset)) });
    expect(await receive(req.headers, req.body)).toMatchObject({
      status: 403,
      code: 'stale_timestamp',
      message: expect.stringContaining('timedatectl'),
    });
    await expectOnlyTheNextEventStoredAndDelivered();
  });

  it('signature before everything else: a stale, unparsable body with a bad signature → 403 invalid_signature', async () => {
    const req = request(
      'not json',
      { timestamp: twitchTimestamp(new Date(NOW - 3_600_000)) },
      'wrong-secret-0123456789',
    );
    expect(await receive(req.headers, req.body)).toMatchObject({ status: 403, code: 'invalid_signature' });
    await expectOnlyTheNextEventStoredAndDelivered();
  });

  it.each([
    ['a body that is not JSON', 'invalid_json', 'not json', 'notification'],
    [
      'a notification without an event',
      'invalid_payload',
      { subscription: fixture('revocation.json').subscription },
      'notification',
    ],
    ['an unknown message type', 'unknown_message_type', followNotification(), 'notifications'],
  ])('%s, signed → 400 %s', async (_, code, payload, messageType) => {
    const req = request(payload, { messageType });
    expect(await receive(req.headers, req.body)).toMatchObject({ kind: 'rejected', status: 400, code });
    await expectOnlyTheNextEventStoredAndDelivered();
  });

  it('an unsigned request cannot claim a message id: the signed one with that id is still stored', async () => {
    const forged = request(followNotification(), {}, 'attacker-secret-0123456789');
    expect((await receive(forged.headers, forged.body)).status).toBe(403);
    const real = request(followNotification(), { messageId: forged.messageId });
    expect((await receive(real.headers, real.body)).kind).toBe('stored');
  });

  it('when the store cannot take the write, the receiver rejects (the HTTP layer answers 503) and nothing is delivered', async () => {
    await rig.store.close();
    const req = request(followNotification());
    await expect(receive(req.headers, req.body)).rejects.toThrow();
    expect(rig.delivered()).toEqual([]);
  });
});
