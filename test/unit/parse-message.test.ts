import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_JSON_DEPTH } from '../../src/twitch/json-depth.js';
import { parseMessage, type ParsedMessage } from '../../src/receiver/parse-message.js';
import { fixture, FIXTURES_DIR } from '../support/sign.js';

/**
 * Steps 5–6 of /callback on their own (the signature already held): which bodies become a challenge,
 * a notification or a revocation, with the payload's text kept exactly as received, and which are
 * refused with a 400 that names what is wrong.
 */

const fixtureBytes = (name: string) => readFileSync(join(FIXTURES_DIR, name));
const body = (value: unknown) => Buffer.from(JSON.stringify(value));
const NOTIFICATIONS = readdirSync(FIXTURES_DIR).filter((name) => name.startsWith('notification.'));

function expectRejected(parsed: ParsedMessage, code: string, message: string | RegExp): void {
  expect(parsed).toMatchObject({ kind: 'rejected', status: 400, code });
  expect((parsed as { message: string }).message).toMatch(message);
}

describe('parseMessage: what Twitch sends', () => {
  it.each(NOTIFICATIONS)('%s (as the file is, pretty-printed) → a notification, its text kept', (name) => {
    const bytes = fixtureBytes(name);
    const expected = fixture(name) as { subscription: unknown; event: unknown };
    const parsed = parseMessage('notification', bytes);
    expect(parsed).toMatchObject({ kind: 'notification', subscription: expected.subscription });
    if (parsed.kind !== 'notification') throw new Error('not a notification');
    expect(parsed.event).toEqual(expected.event);
    // The members' source text, whitespace and all, not a re-serialisation.
    expect(bytes.toString('utf8')).toContain(parsed.raw.subscription);
    expect(bytes.toString('utf8')).toContain(parsed.raw.event!);
    expect(JSON.parse(parsed.raw.event!)).toEqual(expected.event);
  });

  it('keeps key order, number spelling and __proto__ keys exactly as signed', () => {
    const { subscription } = fixture('notification.channel.follow.v2.json');
    const text = `{"subscription":${JSON.stringify(subscription)},"event":{"z":1.50,"a":1e3,"__proto__":{"x":1}}}`;
    const parsed = parseMessage('notification', Buffer.from(text));
    if (parsed.kind !== 'notification') throw new Error(`not a notification: ${JSON.stringify(parsed)}`);
    expect(parsed.raw.event).toBe('{"z":1.50,"a":1e3,"__proto__":{"x":1}}');
    expect(Object.keys(parsed.event)).toEqual(['z', 'a', '__proto__']);
    expect(Object.getPrototypeOf(parsed.event)).toBe(Object.prototype);
  });

  it('the challenge → its string and the subscription type', () => {
    expect(parseMessage('webhook_callback_verification', fixtureBytes('challenge.json'))).toEqual({
      kind: 'challenge',
      challenge: fixture('challenge.json').challenge,
      subscriptionType: 'channel.follow',
    });
  });

  it("a conduit shard's challenge (no subscription) → its string, no type", () => {
    expect(
      parseMessage('webhook_callback_verification', fixtureBytes('challenge.conduit-shard.json')),
    ).toEqual({
      kind: 'challenge',
      challenge: 'pogchamp-kappa-360noscope-vohiyo',
      subscriptionType: undefined,
    });
  });

  it('a revocation → the subscription, event null', () => {
    const parsed = parseMessage('revocation', fixtureBytes('revocation.json'));
    expect(parsed).toMatchObject({
      kind: 'revocation',
      subscription: { status: 'authorization_revoked', type: 'channel.follow' },
      raw: { event: null },
    });
    if (parsed.kind !== 'revocation') throw new Error('not a revocation');
    expect(JSON.parse(parsed.raw.subscription)).toEqual(fixture('revocation.json').subscription);
  });

  it('a batched notification (events, no event) → the event is { events }, kept as received', () => {
    const { subscription } = fixture('notification.channel.follow.v2.json');
    const events = '[{"id":"e1","data":{"n":1.0}},{"id":"e2","data":{}}]';
    const text = `{"subscription":${JSON.stringify(subscription)},"events":${events}}`;
    const parsed = parseMessage('notification', Buffer.from(text));
    expect(parsed).toMatchObject({
      kind: 'notification',
      event: {
        events: [
          { id: 'e1', data: { n: 1 } },
          { id: 'e2', data: {} },
        ],
      },
      raw: { event: `{"events":${events}}` },
    });
  });

  it(`accepts a body nested exactly ${MAX_JSON_DEPTH} levels`, () => {
    const { subscription } = fixture('notification.channel.follow.v2.json');
    // The body and `event` are two levels; arrays inside the event make up the rest.
    const inner = '['.repeat(MAX_JSON_DEPTH - 2) + ']'.repeat(MAX_JSON_DEPTH - 2);
    const text = `{"subscription":${JSON.stringify(subscription)},"event":{"deep":${inner}}}`;
    expect(parseMessage('notification', Buffer.from(text)).kind).toBe('notification');
  });
});

describe('parseMessage: what it refuses (400, nothing handed on)', () => {
  it('an unknown message type, naming the three it knows', () => {
    expectRejected(
      parseMessage('notifications', fixtureBytes('notification.channel.follow.v2.json')),
      'unknown_message_type',
      'message type "notifications" is not one of notification, revocation, webhook_callback_verification',
    );
  });

  it('bytes that are not UTF-8 (they would be stored as text Twitch never signed)', () => {
    const latin1 = Buffer.from('{"subscription":{},"event":{"user_name":"Jos\xe9"}}', 'latin1');
    expectRejected(parseMessage('notification', latin1), 'invalid_json', /not UTF-8 JSON text/);
  });

  it(`a body nested deeper than ${MAX_JSON_DEPTH} levels, before it is parsed`, () => {
    const deep = Buffer.from('{"event":' + '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH) + '}');
    expectRejected(
      parseMessage('notification', deep),
      'invalid_payload',
      `body is nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  });

  it.each(['', 'not json', '{"subscription":', '\ufeff{}'])('text that is not JSON: %j', (text) => {
    expectRejected(parseMessage('notification', Buffer.from(text)), 'invalid_json', /not valid JSON/);
  });

  it.each([
    [
      'notification',
      { subscription: fixture('revocation.json').subscription },
      /^not a notification: event: /,
    ],
    ['notification', { event: {} }, /^not a notification: subscription: /],
    [
      'notification',
      { subscription: { ...(fixture('revocation.json').subscription as object), id: '' }, event: {} },
      /^not a notification: subscription\.id: /,
    ],
    [
      'notification',
      { subscription: fixture('revocation.json').subscription, events: [] },
      /^not a notification: events: /,
    ],
    ['notification', [1, 2], /^not a notification: /],
    ['revocation', { event: {} }, /^not a revocation: subscription: /],
    [
      'webhook_callback_verification',
      { subscription: fixture('challenge.json').subscription },
      /^not a challenge: challenge: /,
    ],
    [
      'webhook_callback_verification',
      { challenge: 'abc' },
      /^not a challenge: .*"subscription" or "conduit_shard"/,
    ],
  ])('%s %j → invalid_payload naming the field', (messageType, payload, message) => {
    expectRejected(parseMessage(messageType, body(payload)), 'invalid_payload', message);
  });
});
