import { describe, expect, it } from '@jest/globals';
import { parseWsFrame, parseWsMessage } from '../../src/transports/websocket/messages.js';
import { envelopeOf } from '../../src/transports/websocket/to-envelope.js';
import { closeAdvice, TWITCH_CLOSE_CODES } from '../../src/transports/websocket/close-codes.js';
import { envelopeToJson, rawPayloadOf } from '../../src/twitch/envelope-json.js';

// The example frames of Twitch's "Handling WebSocket Events" page, verbatim.
const WELCOME =
  '{"metadata":{"message_id":"96a3f3b5-5dec-4eed-908e-e11ee657416c","message_type":"session_welcome","message_timestamp":"2023-07-19T14:56:51.634234626Z"},"payload":{"session":{"id":"AQoQILE98gtqShGmLD7AM6yJThAB","status":"connected","connected_at":"2023-07-19T14:56:51.616329898Z","keepalive_timeout_seconds":10,"reconnect_url":null}}}';
const KEEPALIVE =
  '{"metadata":{"message_id":"84c1e79a-2a4b-4c13-ba0b-4312293e9308","message_type":"session_keepalive","message_timestamp":"2023-07-19T10:11:12.634234626Z"},"payload":{}}';
const NOTIFICATION =
  '{"metadata":{"message_id":"befa7b53-d79d-478f-86b9-120f112b044e","message_type":"notification","message_timestamp":"2022-11-16T10:11:12.464757833Z","subscription_type":"channel.follow","subscription_version":"1"},"payload":{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"enabled","type":"channel.follow","version":"1","cost":1,"condition":{"broadcaster_user_id":"12826"},"transport":{"method":"websocket","session_id":"AQoQexAWVYKSTIu4ec_2VAxyuhAB"},"created_at":"2022-11-16T10:11:12.464757833Z"},"event":{"user_id":"1337","user_login":"awesome_user","user_name":"Awesome_User","broadcaster_user_id":"12826","broadcaster_user_login":"twitch","broadcaster_user_name":"Twitch","followed_at":"2023-07-15T18:16:11.17106713Z"}}}';
const RECONNECT =
  '{"metadata":{"message_id":"84c1e79a-2a4b-4c13-ba0b-4312293e9308","message_type":"session_reconnect","message_timestamp":"2022-11-18T09:10:11.634234626Z"},"payload":{"session":{"id":"AQoQexAWVYKSTIu4ec_2VAxyuhAB","status":"reconnecting","keepalive_timeout_seconds":null,"reconnect_url":"wss://eventsub.wss.twitch.tv?...","connected_at":"2022-11-16T10:11:12.634234626Z"}}}';
const REVOCATION =
  '{"metadata":{"message_id":"84c1e79a-2a4b-4c13-ba0b-4312293e9308","message_type":"revocation","message_timestamp":"2022-11-16T10:11:12.464757833Z","subscription_type":"channel.follow","subscription_version":"1"},"payload":{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"authorization_revoked","type":"channel.follow","version":"1","cost":1,"condition":{"broadcaster_user_id":"12826"},"transport":{"method":"websocket","session_id":"AQoQexAWVYKSTIu4ec_2VAxyuhAB"},"created_at":"2022-11-16T10:11:12.464757833Z"}}}';

describe("Twitch's documented WebSocket messages", () => {
  it('session_welcome: the session id and keepalive window', () => {
    expect(parseWsMessage(WELCOME)).toMatchObject({
      kind: 'welcome',
      sessionId: 'AQoQILE98gtqShGmLD7AM6yJThAB',
      keepaliveSeconds: 10,
    });
  });

  it('session_keepalive and session_reconnect (its reconnect_url is kept as is)', () => {
    expect(parseWsMessage(KEEPALIVE).kind).toBe('keepalive');
    expect(parseWsMessage(RECONNECT)).toMatchObject({
      kind: 'reconnect',
      reconnectUrl: 'wss://eventsub.wss.twitch.tv?...',
    });
  });

  it('a notification becomes the webhook envelope: id, timestamp, payload as sent, retry 0', () => {
    const message = parseWsMessage(NOTIFICATION);
    if (message.kind !== 'notification') throw new Error(`parsed as ${message.kind}`);
    const payload = JSON.parse(NOTIFICATION).payload;
    expect(envelopeOf(message, new Date('2026-01-02T03:04:05.000Z'))).toEqual({
      id: 'befa7b53-d79d-478f-86b9-120f112b044e',
      messageType: 'notification',
      type: 'channel.follow',
      version: '1',
      timestamp: '2022-11-16T10:11:12.464757833Z',
      retry: 0,
      subscription: payload.subscription,
      event: payload.event,
      receivedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('keeps subscription and event as the frame carried them: that text is stored and forwarded', () => {
    // A re-serialised object would print 1.50 as 1.5 and could reorder keys.
    const frame = NOTIFICATION.replace('"cost":1', '"cost":1.50').replace(
      '"user_id":"1337","user_login"',
      '"user_login":"awesome_user","user_id":"1337","user_login_again"',
    );
    const message = parseWsMessage(frame);
    if (message.kind !== 'notification') throw new Error(`parsed as ${message.kind}`);
    const envelope = envelopeOf(message, new Date());
    const raw = rawPayloadOf(envelope);
    expect(frame).toContain(`"payload":{"subscription":${raw.subscription},"event":${raw.event}}`);
    expect(raw.subscription).toContain('"cost":1.50');
    expect(envelopeToJson(envelope)).toContain(`"subscription":${raw.subscription},"event":${raw.event},`);
  });

  it('a revocation has no event; its status says why', () => {
    const message = parseWsMessage(REVOCATION);
    if (message.kind !== 'revocation') throw new Error(`parsed as ${message.kind}`);
    expect(envelopeOf(message, new Date())).toMatchObject({
      messageType: 'revocation',
      event: null,
      subscription: { status: 'authorization_revoked' },
    });
  });
});

describe('what is not a Twitch message is invalid, with the reason', () => {
  const frame = (metadata: object, payload: unknown) => JSON.stringify({ metadata, payload });
  const meta = { message_id: 'm1', message_timestamp: '2026-01-01T00:00:00Z' };
  it.each([
    ['not JSON', '{"metadata":', 'not JSON'],
    ['no metadata', JSON.stringify({ payload: {} }), 'frame.metadata'],
    [
      'an unknown type',
      frame({ ...meta, message_type: 'session_party' }, {}),
      'unknown message_type "session_party"',
    ],
    [
      'a welcome without a session id',
      frame({ ...meta, message_type: 'session_welcome' }, { session: {} }),
      'payload.session.id',
    ],
    [
      'a reconnect without a URL',
      frame(
        { ...meta, message_type: 'session_reconnect' },
        {
          session: {
            id: 's',
            status: 'reconnecting',
            keepalive_timeout_seconds: null,
            reconnect_url: null,
            connected_at: 'x',
          },
        },
      ),
      'payload.session.reconnect_url',
    ],
    [
      'a notification without an event',
      frame({ ...meta, message_type: 'notification' }, JSON.parse(REVOCATION).payload),
      'payload.event',
    ],
    [
      'metadata naming another type than the payload',
      frame(
        { ...meta, message_type: 'notification', subscription_type: 'stream.online' },
        JSON.parse(NOTIFICATION).payload,
      ),
      'differs from payload.subscription.type',
    ],
  ])('%s', (_name, text, reason) => {
    const parsed = parseWsMessage(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.reason).toContain(reason);
  });
});

describe('the bytes of a frame, checked as a webhook body is (parseWsFrame)', () => {
  /** NOTIFICATION with `value` (raw JSON text) as one more member of its event. */
  const withMember = (value: string) =>
    NOTIFICATION.replace('"user_id":"1337"', `"extra":${value},"user_id":"1337"`);

  it('a UTF-8 frame is parsed as its text', () => {
    const bytes = Buffer.from(NOTIFICATION.replace('Awesome_User', 'Zoë_日本'), 'utf8');
    const parsed = parseWsFrame(bytes);
    expect(parsed.kind === 'notification' && parsed.event).toMatchObject({ user_name: 'Zoë_日本' });
  });

  it.each([
    [
      'bytes that are not UTF-8 (Latin-1)',
      Buffer.from(NOTIFICATION.replace('Awesome_User', 'Zoë'), 'latin1'),
      'frame is not UTF-8 JSON text (it has bytes that are not UTF-8)',
    ],
    [
      'an event nested 100,000 objects deep',
      Buffer.from(withMember('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))),
      "frame is nested deeper than 64 levels; Twitch's messages nest far less",
    ],
    [
      'an event nested 100,000 arrays deep',
      Buffer.from(withMember('['.repeat(100_000) + ']'.repeat(100_000))),
      "frame is nested deeper than 64 levels; Twitch's messages nest far less",
    ],
  ])('%s is invalid before any parse', (_name, bytes, reason) => {
    expect(parseWsFrame(bytes)).toEqual({ kind: 'invalid', reason });
  });

  it('64 levels in all pass (the bound webhooks have)', () => {
    // The frame is 3 levels deep where the member sits (frame, payload, event): 61 more make 64.
    const parsed = parseWsFrame(Buffer.from(withMember('['.repeat(61) + ']'.repeat(61))));
    expect(parsed.kind).toBe('notification');
  });
});

describe('close codes', () => {
  it('every code Twitch documents (4000–4007) has a reason, a meaning and advice', () => {
    expect(TWITCH_CLOSE_CODES.map((c) => c.code)).toEqual([4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007]);
    for (const row of TWITCH_CLOSE_CODES) {
      expect(row.reason.length).toBeGreaterThan(0);
      expect(row.meaning.length).toBeGreaterThan(0);
      expect(row.advice.length).toBeGreaterThan(0);
    }
    expect(closeAdvice(4003, '').advice).toContain('creating the subscriptions');
  });

  it('other codes get a generic line (1006: dropped without a close frame)', () => {
    expect(closeAdvice(1006, '')).toMatchObject({
      code: 1006,
      reason: 'connection dropped without a close frame',
      level: 'warn',
    });
    expect(closeAdvice(1001, 'going away').reason).toBe('going away');
  });
});
