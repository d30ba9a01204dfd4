import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fixture, FIXTURES_DIR, twitchTimestamp } from '../support/sign.js';
import { signMessage } from '../../src/twitch/signature.js';
import { FUZZ_SECRET } from './fuzz-relay.js';
import type { RawRequest } from './raw-http.js';

export const TWITCH_HEADERS = [
  'Twitch-Eventsub-Message-Id',
  'Twitch-Eventsub-Message-Retry',
  'Twitch-Eventsub-Message-Type',
  'Twitch-Eventsub-Message-Signature',
  'Twitch-Eventsub-Message-Timestamp',
  'Twitch-Eventsub-Subscription-Type',
  'Twitch-Eventsub-Subscription-Version',
] as const;

/** Twitch's documented notifications and revocation, as [message type, payload]. */
const PAYLOADS = readdirSync(FIXTURES_DIR)
  .filter((name) => /^(notification|revocation).*\.json$/.test(name))
  .map((name) => [name.startsWith('revocation') ? 'revocation' : 'notification', fixture(name)] as const);

/** How the request's bytes reach the relay: framing, chunk sizes and TCP cuts. */
export const delivery: fc.Arbitrary<Delivery> = fc.record({
  framing: fc.constantFrom('content-length' as const, 'chunked' as const),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
  splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 8 }),
});

/** A header value as latin1 text: any octet but CR, LF and NUL (which would end or break the line). */
const anyHeaderValue = fc
  .uint8Array({ maxLength: 80 })
  .map((bytes) => Buffer.from(bytes.filter((b) => b !== 0x0d && b !== 0x0a && b !== 0)).toString('latin1'));

const plausibleHeaderValue = fc.oneof(
  fc.uuid().map(String),
  fc.constant(twitchTimestamp()),
  fc.constantFrom('notification', 'revocation', 'webhook_callback_verification', 'NOTIFICATION', ''),
  fc.stringMatching(/^sha256=[0-9a-f]{64}$/),
  fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'gzip', '0', '-1'),
  fc.string({ maxLength: 40 }),
);

/** Header names a fuzzed request may carry (never the framing ones: the sender frames every request). */
const headerName = fc.oneof(
  fc.constantFrom(...TWITCH_HEADERS),
  fc.constantFrom(...TWITCH_HEADERS.map((name) => name.toLowerCase())),
  fc.constantFrom('Content-Type', 'Content-Encoding', 'User-Agent', 'Accept', 'X-Forwarded-For', 'Cookie'),
  fc.stringMatching(/^X-[A-Za-z0-9-]{1,20}$/),
);

const randomHeaders = fc.array(
  fc.tuple(
    headerName,
    fc.oneof({ weight: 4, arbitrary: plausibleHeaderValue }, { weight: 1, arbitrary: anyHeaderValue }),
  ),
  { maxLength: 14 },
);

/** Twitch's headers, each well formed (a signature of the right shape, not the right value), odd, or absent. */
const twitchLikeHeaders = fc
  .tuple(
    ...TWITCH_HEADERS.map((name) =>
      fc.oneof(
        { weight: 8, arbitrary: plausibleValueFor(name) },
        { weight: 1, arbitrary: plausibleHeaderValue },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    ),
  )
  .map((values) =>
    values.flatMap((value, i) =>
      value === undefined ? [] : [[TWITCH_HEADERS[i]!, value] as [string, string]],
    ),
  );

function plausibleValueFor(name: (typeof TWITCH_HEADERS)[number]): fc.Arbitrary<string> {
  switch (name) {
    case 'Twitch-Eventsub-Message-Id':
      return fc.uuid().map(String);
    case 'Twitch-Eventsub-Message-Retry':
      return fc.nat(5).map(String);
    case 'Twitch-Eventsub-Message-Type':
      return fc.constantFrom('notification', 'revocation', 'webhook_callback_verification');
    case 'Twitch-Eventsub-Message-Signature':
      return fc.stringMatching(/^sha256=[0-9a-f]{64}$/);
    case 'Twitch-Eventsub-Message-Timestamp':
      return fc
        .integer({ min: -20, max: 20 })
        .map((minutes) => twitchTimestamp(new Date(Date.now() + minutes * 60_000)));
    case 'Twitch-Eventsub-Subscription-Type':
      return fc.constantFrom('channel.follow', 'stream.online', 'channel.chat.message');
    case 'Twitch-Eventsub-Subscription-Version':
      return fc.constantFrom('1', '2', 'beta');
  }
}

/** Header lists: anything at all, or Twitch's set with some values missing or wrong. */
export const headerList = fc.oneof(randomHeaders, twitchLikeHeaders);

/** Bodies of every kind: random bytes, random JSON, Twitch's payloads (unsigned here). */
export const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 6 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  fc.constantFrom(...PAYLOADS).map(([, payload]) => Buffer.from(JSON.stringify(payload))),
);

/**
 * JSON values for extra event fields, some under a `__proto__` key (JSON.parse makes that an own
 * property; a copy or a spread on the way would turn it into a prototype and drop it).
 */
export const extraJson = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 5 }) },
  {
    weight: 1,
    arbitrary: fc
      .jsonValue({ maxDepth: 3 })
      .map((value) => JSON.parse(`{"__proto__":${JSON.stringify(value)},"x":1}`) as unknown),
  },
);

/** A message exactly as Twitch would send it, signed with the relay's secret. */
export interface SignedMessage {
  messageId: string;
  messageType: 'notification' | 'revocation';
  payload: Record<string, unknown>;
  body: Buffer;
  headers: [string, string][];
}

export function signed(
  messageType: 'notification' | 'revocation',
  payload: Record<string, unknown>,
  options: { messageId?: string; body?: Buffer; secret?: string; timestamp?: string } = {},
): SignedMessage {
  const messageId = options.messageId ?? randomUUID();
  const timestamp = options.timestamp ?? twitchTimestamp();
  const body = options.body ?? Buffer.from(JSON.stringify(payload));
  const subscription = payload.subscription as { type: string; version: string };
  return {
    messageId,
    messageType,
    payload,
    body,
    headers: [
      ['Twitch-Eventsub-Message-Id', messageId],
      ['Twitch-Eventsub-Message-Retry', '0'],
      ['Twitch-Eventsub-Message-Type', messageType],
      [
        'Twitch-Eventsub-Message-Signature',
        signMessage(options.secret ?? FUZZ_SECRET, messageId, timestamp, body),
      ],
      ['Twitch-Eventsub-Message-Timestamp', timestamp],
      ['Twitch-Eventsub-Subscription-Type', subscription.type],
      ['Twitch-Eventsub-Subscription-Version', subscription.version],
      ['Content-Type', 'application/json'],
    ],
  };
}

/** One of Twitch's payloads with a random `fuzz` field added to its event (or its condition, for a revocation). */
export const twitchMessage = fc
  .tuple(fc.constantFrom(...PAYLOADS), extraJson)
  .map(([[messageType, payload], extra]) => {
    const copy = structuredClone(payload) as Record<string, Record<string, unknown>>;
    if (messageType === 'notification') copy.event = { ...copy.event, fuzz: extra };
    else
      copy.subscription = {
        ...copy.subscription,
        condition: { ...(copy.subscription!.condition as object), fuzz: extra },
      };
    return { messageType, payload: copy as Record<string, unknown> };
  });

/** How a request's bytes are framed and cut (see `delivery`). */
export type Delivery = Pick<RawRequest, 'framing' | 'chunkSizes' | 'splits'>;

/** A signed message as a raw POST /callback, delivered as `how` says. */
export function asRequest(message: Pick<SignedMessage, 'headers' | 'body'>, how: Delivery): RawRequest {
  return { method: 'POST', path: '/callback', headers: message.headers, body: message.body, ...how };
}

/**
 * Opening brackets for `levels` levels of nesting, arrays and objects mixed by a short repeating
 * pattern: mostly around the bound (64), sometimes 100,000 deep (what V8 parses but cannot stringify).
 */
export const nestingOpens = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 160 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1000, max: 100_000 }) },
    ),
    fc.array(fc.constantFrom('[', '{"k":'), { minLength: 1, maxLength: 4 }),
  )
  .map(([levels, pattern]) => Array.from({ length: levels }, (_, i) => pattern[i % pattern.length]!));

/** The closing brackets that match `opens`. */
export function closing(opens: readonly string[]): string {
  let text = '';
  for (let i = opens.length - 1; i >= 0; i--) text += opens[i] === '[' ? ']' : '}';
  return text;
}
