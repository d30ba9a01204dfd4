import { describe, expect, it } from '@jest/globals';
import { checkHeaders, type HeaderBag } from '../../src/receiver/header-checks.js';
import { TwitchHeader } from '../../src/twitch/headers.js';
import { followNotification, signedRequest } from '../support/sign.js';

/**
 * Step 2 of /callback on its own: which header is missing or malformed, named in a 400, before any
 * signature or body is looked at. The HTTP suites (callback.test.ts) check that such a 400 stores nothing.
 */

const SECRET = 'test-secret-0123456789abcdef';

/** The headers of a real signed request, lower-cased as Node hands them over, with `changes` applied. */
function headers(changes: Record<string, string | string[] | undefined> = {}): HeaderBag {
  const signed = signedRequest(SECRET, followNotification(), {
    messageId: '7e2c4b6f-2b6e-4bd4-8f4e-2f2f6b3a9c11',
    timestamp: '2026-11-23T10:00:00.123456789Z',
    retry: 2,
  });
  const bag: HeaderBag = Object.fromEntries(
    Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { ...bag, ...changes };
}

describe('checkHeaders', () => {
  it('returns what a signed Twitch request carries, the nanosecond timestamp as its millisecond instant', () => {
    const bag = headers();
    expect(checkHeaders(bag)).toEqual({
      messageId: '7e2c4b6f-2b6e-4bd4-8f4e-2f2f6b3a9c11',
      timestamp: '2026-11-23T10:00:00.123456789Z',
      timestampMs: Date.parse('2026-11-23T10:00:00.123Z'),
      signature: bag[TwitchHeader.messageSignature],
      messageType: 'notification',
      retry: 2,
    });
  });

  it('reads a timestamp with a zone offset as the same instant', () => {
    const result = checkHeaders(headers({ [TwitchHeader.messageTimestamp]: '2026-11-23T12:00:00+02:00' }));
    expect(result).toMatchObject({ timestampMs: Date.parse('2026-11-23T10:00:00Z') });
  });

  it.each([
    TwitchHeader.messageId,
    TwitchHeader.messageTimestamp,
    TwitchHeader.messageSignature,
    TwitchHeader.messageType,
  ])('missing %s → 400 missing_header naming it', (name) => {
    for (const value of [undefined, '']) {
      expect(checkHeaders(headers({ [name]: value }))).toEqual({
        kind: 'rejected',
        status: 400,
        code: 'missing_header',
        message: `${name} header is missing: only Twitch EventSub requests are accepted here`,
      });
    }
  });

  it('a header sent twice counts as missing (which of the two would be signed?)', () => {
    const twice = headers({ [TwitchHeader.messageId]: ['a', 'b'] });
    expect(checkHeaders(twice)).toMatchObject({ status: 400, code: 'missing_header' });
  });

  it.each([
    [TwitchHeader.messageId, 'has a space'],
    [TwitchHeader.messageId, 'x'.repeat(129)],
    [TwitchHeader.messageId, 'tab\tinside'],
    [TwitchHeader.messageTimestamp, '2026-11-23 10:00:00Z'],
    [TwitchHeader.messageTimestamp, '1763892000'],
    [TwitchHeader.messageTimestamp, '2026-11-23T10:00:00.1234567890Z'],
    [TwitchHeader.messageTimestamp, '2026-11-23T10:00:00'],
    [TwitchHeader.messageSignature, 'sha256=not-hex'],
    [TwitchHeader.messageSignature, 'md5=0123456789abcdef0123456789abcdef'],
    [TwitchHeader.messageSignature, '0123456789abcdef'],
    [TwitchHeader.messageType, 'Notification'],
    [TwitchHeader.messageType, 'notification\n'],
    [TwitchHeader.messageType, 'x'.repeat(65)],
  ])('%s: %j → 400 malformed_header naming it', (name, value) => {
    expect(checkHeaders(headers({ [name]: value }))).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'malformed_header',
      message: `${name} header is malformed`,
    });
  });

  it('accepts any printable message id up to 128 characters (a future id format costs no events)', () => {
    for (const id of ['x'.repeat(128), 'conduit:shard-0/1', '1']) {
      expect(checkHeaders(headers({ [TwitchHeader.messageId]: id }))).toMatchObject({ messageId: id });
    }
  });

  it('a timestamp of the right form that is no date → 400 saying so', () => {
    expect(checkHeaders(headers({ [TwitchHeader.messageTimestamp]: '2026-13-45T25:61:61Z' }))).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'malformed_header',
      message: `${TwitchHeader.messageTimestamp} header is not a valid date`,
    });
  });

  it.each([
    [undefined, 0],
    ['0', 0],
    ['5', 5],
    ['-1', 0],
    ['1.5', 0],
    ['many', 0],
  ])('retry header %j → retry %i (it is informational: a bad one refuses nothing)', (value, retry) => {
    expect(checkHeaders(headers({ [TwitchHeader.messageRetry]: value }))).toMatchObject({ retry });
  });
});
