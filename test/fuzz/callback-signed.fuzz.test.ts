import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { twitchTimestamp } from '../support/sign.js';
import {
  asRequest,
  closing,
  delivery,
  nestingOpens,
  signed,
  twitchMessage,
  type SignedMessage,
} from './arbitraries.js';
import { AnswerTally, budget, runProperty, testTimeout } from './fuzz-budget.js';
import { startFuzzRelay, type FuzzRelay } from './fuzz-relay.js';
import { answerJson, sendRaw } from './raw-http.js';
import { rawPayloadOf } from '../../src/twitch/envelope-json.js';

let relay: FuzzRelay;
beforeAll(async () => {
  relay = await startFuzzRelay();
});
afterAll(async () => relay.close());

/**
 * What the relay must have stored for a message it acknowledged: the JSON Twitch signed, as its
 * objects and as its text (every body here is JSON.stringify's output, so each member's text is
 * JSON.stringify of that member, `__proto__` keys and key order included).
 */
async function expectStoredAsSent(message: SignedMessage): Promise<void> {
  const stored = await relay.store.getEvent(message.messageId);
  expect(stored).not.toBeNull();
  const sent = JSON.parse(message.body.toString('utf8')) as { subscription: unknown; event?: unknown };
  expect(stored!.envelope.messageType).toBe(message.messageType);
  expect(stored!.envelope.subscription).toEqual(sent.subscription);
  expect(stored!.envelope.event).toEqual(sent.event ?? null);
  expect(rawPayloadOf(stored!.envelope)).toEqual({
    subscription: JSON.stringify(sent.subscription),
    event: sent.event === undefined ? null : JSON.stringify(sent.event),
  });
}

/** Changes to a signed request after signing; each must be refused with this status and code. */
type Mutation = { name: string; status: number; code: string; apply: (m: SignedMessage) => SignedMessage };
const header = (m: SignedMessage, name: string, value: string | undefined): SignedMessage => ({
  ...m,
  headers: m.headers.flatMap(([n, v]): [string, string][] =>
    n !== name ? [[n, v]] : value === undefined ? [] : [[n, value]],
  ),
});
const mutation = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([at, bit]): Mutation => ({
    name: `flip bit ${bit} of body byte ${at}`,
    status: 403,
    code: 'invalid_signature',
    apply: (m) => {
      const body = Buffer.from(m.body);
      body[at % body.length]! ^= 1 << bit;
      return { ...m, body };
    },
  })),
  fc.nat().map((keep): Mutation => ({
    name: `truncate the body to ${keep} bytes`,
    status: 403,
    code: 'invalid_signature',
    apply: (m) => ({ ...m, body: m.body.subarray(0, keep % m.body.length) }),
  })),
  fc.constantFrom<Mutation>(
    {
      name: 'another message id',
      status: 403,
      code: 'invalid_signature',
      apply: (m) => header(m, 'Twitch-Eventsub-Message-Id', randomUUID()),
    },
    {
      name: 'another timestamp',
      status: 403,
      code: 'invalid_signature',
      apply: (m) => header(m, 'Twitch-Eventsub-Message-Timestamp', twitchTimestamp()),
    },
    {
      name: 'signed with another secret',
      status: 403,
      code: 'invalid_signature',
      apply: (m) =>
        signed(m.messageType, m.payload, { messageId: m.messageId, secret: 'another-secret-0123456789' }),
    },
    {
      name: 'signed, but 11 minutes old',
      status: 403,
      code: 'stale_timestamp',
      apply: (m) =>
        signed(m.messageType, m.payload, {
          messageId: m.messageId,
          timestamp: twitchTimestamp(new Date(Date.now() - 11 * 60_000)),
        }),
    },
    {
      name: 'no signature header',
      status: 400,
      code: 'missing_header',
      apply: (m) => header(m, 'Twitch-Eventsub-Message-Signature', undefined),
    },
    {
      name: 'the signature header twice',
      status: 400,
      code: 'malformed_header',
      apply: (m) => ({
        ...m,
        headers: [...m.headers, m.headers.find(([n]) => n === 'Twitch-Eventsub-Message-Signature')!],
      }),
    },
    {
      name: 'an unknown message type (signed)',
      status: 400,
      code: 'unknown_message_type',
      apply: (m) => header(m, 'Twitch-Eventsub-Message-Type', 'telepathy'),
    },
  ),
);

describe('signed messages: stored once, exactly as sent; anything altered is refused and stores nothing', () => {
  it(
    'a signed message, cut into any TCP packets and framings, is stored once; its re-sends are duplicates',
    async () => {
      const property = fc.asyncProperty(
        twitchMessage,
        delivery,
        fc.integer({ min: 1, max: 3 }),
        async (m, how, copies) => {
          const message = signed(m.messageType, m.payload);
          const before = await relay.store.countEvents();
          // Twitch's retries of one message may arrive at once (the same bytes: Retry is not signed).
          const answers = await Promise.all(
            Array.from({ length: copies }, () => sendRaw(relay.port, asRequest(message, how))),
          );
          expect(answers.map((a) => a.status)).toEqual(Array(copies).fill(204));
          expect(await relay.store.countEvents()).toBe(before + 1);
          await expectStoredAsSent(message);
          relay.expectAlive();
        },
      );
      await runProperty('signed messages', property, budget(1000, 0.2));
    },
    testTimeout(0.2),
  );

  it(
    'a signed message altered after signing is refused with its documented 4xx, and nothing is stored',
    async () => {
      const tally = new AnswerTally();
      const property = fc.asyncProperty(twitchMessage, mutation, delivery, async (m, change, how) => {
        const original = signed(m.messageType, m.payload);
        const altered = change.apply(original);
        const before = await relay.store.countEvents();
        const answer = await sendRaw(relay.port, asRequest(altered, how));
        tally.add(change.code);
        expect({ change: change.name, status: answer.status, error: answerJson(answer)?.error }).toEqual({
          change: change.name,
          status: change.status,
          error: change.code,
        });
        expect(await relay.store.countEvents()).toBe(before);
        // The refused attempt did not claim the id: the genuine message is still stored afterwards.
        expect((await sendRaw(relay.port, asRequest(original, how))).status).toBe(204);
        await expectStoredAsSent(original);
      });
      await runProperty('altered messages', property, budget(1000, 0.2));
      tally.print('altered messages');
    },
    testTimeout(0.2),
  );

  it(
    'one message id, different signed bodies at once: exactly one is stored, and it is one of them',
    async () => {
      const property = fc.asyncProperty(
        fc.array(twitchMessage, { minLength: 2, maxLength: 5 }),
        delivery,
        async (variants, how) => {
          const messageId = randomUUID();
          const messages = variants.map((v) => signed(v.messageType, v.payload, { messageId }));
          const before = await relay.store.countEvents();
          const answers = await Promise.all(messages.map((m) => sendRaw(relay.port, asRequest(m, how))));
          expect(answers.map((a) => a.status)).toEqual(Array(messages.length).fill(204));
          expect(await relay.store.countEvents()).toBe(before + 1);
          const stored = await relay.store.getEvent(messageId);
          const raw = rawPayloadOf(stored!.envelope);
          const storedJson = `${raw.subscription} ${raw.event}`;
          const sentJson = messages.map((m) => {
            const sent = JSON.parse(m.body.toString('utf8')) as { subscription: unknown; event?: unknown };
            return `${JSON.stringify(sent.subscription)} ${sent.event === undefined ? null : JSON.stringify(sent.event)}`;
          });
          expect(sentJson).toContain(storedJson);
        },
      );
      await runProperty('one id, many bodies', property, budget(250, 0.1));
    },
    testTimeout(0.1),
  );

  it(
    'encodings: only uncompressed UTF-8 JSON is stored; UTF-16, a BOM, Latin-1 or compression is 400 invalid_json',
    async () => {
      const encodings: Record<string, { encode: (text: string) => Buffer; headers?: [string, string][] }> = {
        'utf-8': { encode: (text) => Buffer.from(text, 'utf8') },
        'utf-8, charset named': {
          encode: (text) => Buffer.from(text, 'utf8'),
          headers: [['Content-Type', 'application/json; charset=utf-8']],
        },
        'utf-16le': { encode: (text) => Buffer.from(text, 'utf16le') },
        'utf-16be': { encode: (text) => Buffer.from(text, 'utf16le').swap16() },
        'utf-8 with BOM': {
          encode: (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
        },
        'latin-1': { encode: (text) => Buffer.from(text, 'latin1') },
        gzip: { encode: (text) => gzipSync(text), headers: [['Content-Encoding', 'gzip']] },
        deflate: { encode: (text) => deflateSync(text), headers: [['Content-Encoding', 'deflate']] },
        br: { encode: (text) => brotliCompressSync(text), headers: [['Content-Encoding', 'br']] },
      };
      const nonAscii = fc.constantFrom('Zoë', 'Łódź', 'ñandú', 'Ærøskøbing', 'façade');
      const property = fc.asyncProperty(
        twitchMessage.filter((m) => m.messageType === 'notification'),
        fc.constantFrom(...Object.keys(encodings)),
        nonAscii,
        delivery,
        async (m, name, word, how) => {
          const payload = structuredClone(m.payload) as { event: Record<string, unknown> };
          payload.event.user_name = word;
          const encoding = encodings[name]!;
          const body = encoding.encode(JSON.stringify(payload));
          const message = signed('notification', payload, { body });
          message.headers.push(...(encoding.headers ?? []));
          const before = await relay.store.countEvents();
          const answer = await sendRaw(relay.port, asRequest(message, how));
          if (name.startsWith('utf-8') && name !== 'utf-8 with BOM') {
            expect(answer.status).toBe(204);
            expect((await relay.store.getEvent(message.messageId))?.envelope.event).toMatchObject({
              user_name: word,
            });
          } else {
            expect({ name, status: answer.status, error: answerJson(answer)?.error }).toEqual({
              name,
              status: 400,
              error: 'invalid_json',
            });
            expect(await relay.store.countEvents()).toBe(before);
          }
        },
      );
      await runProperty('encodings', property, budget(400, 0.07));
    },
    testTimeout(0.07),
  );

  it(
    'nesting: a signed body within 64 levels is stored, a deeper one is 400 invalid_payload (never 5xx)',
    async () => {
      const property = fc.asyncProperty(
        twitchMessage.filter((m) => m.messageType === 'notification'),
        nestingOpens,
        delivery,
        async (m, opens, how) => {
          const text = JSON.stringify(m.payload).replace(
            /}}$/,
            `,"deep":${opens.join('')}1${closing(opens)}}}`,
          );
          const message = signed('notification', m.payload, { body: Buffer.from(text) });
          const before = await relay.store.countEvents();
          const answer = await sendRaw(relay.port, asRequest(message, how));
          // The body is one level, its event another: `deep` adds its own levels to those two.
          if (opens.length + 2 <= 64) {
            expect(answer.status).toBe(204);
            await expectStoredAsSent(message);
          } else {
            expect([answer.status, answerJson(answer)?.error]).toEqual([400, 'invalid_payload']);
            expect(await relay.store.countEvents()).toBe(before);
          }
        },
      );
      await runProperty('nesting', property, budget(400, 0.08));
    },
    testTimeout(0.08),
  );

  it('afterwards the process is alive and logged no error', () => {
    relay.expectAlive();
    relay.expectNoErrorLogged();
  });
});
