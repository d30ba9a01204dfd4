import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isWellFormedSignature, signMessage, verifySignature } from '../../src/twitch/signature.js';
import { FIXTURES_DIR } from '../support/sign.js';

interface Vector {
  secret: string;
  headers: Record<string, string>;
  raw_body: string;
}
const vectors = JSON.parse(readFileSync(join(FIXTURES_DIR, 'signature-vectors.json'), 'utf8'))
  .vectors as Vector[];
const vector = vectors[0] as Vector;
const id = vector.headers['Twitch-Eventsub-Message-Id'] as string;
const timestamp = vector.headers['Twitch-Eventsub-Message-Timestamp'] as string;
const header = vector.headers['Twitch-Eventsub-Message-Signature'] as string;
const body = Buffer.from(vector.raw_body);

describe('Twitch signature (HMAC-SHA256 over id + timestamp + raw body)', () => {
  it('verifies the byte-exact vector from fixtures/twitch/signature-vectors.json', () => {
    expect(body.length).toBe(Number(vector.headers['Content-Length']));
    expect(verifySignature([vector.secret], id, timestamp, body, header)).toBe(true);
    expect(signMessage(vector.secret, id, timestamp, body)).toBe(header);
  });

  it.each([
    [
      'a tampered body',
      () => verifySignature([vector.secret], id, timestamp, Buffer.from(vector.raw_body + ' '), header),
    ],
    ['a tampered id', () => verifySignature([vector.secret], id + 'x', timestamp, body, header)],
    [
      'a tampered timestamp',
      () => verifySignature([vector.secret], id, timestamp.replace('Z', '1Z'), body, header),
    ],
    ['the wrong secret', () => verifySignature(['secretabce'], id, timestamp, body, header)],
  ])('rejects %s', (_name, check) => {
    expect(check()).toBe(false);
  });

  it('accepts upper-case hex (Twitch sends lower-case; the bytes are what count)', () => {
    expect(
      verifySignature([vector.secret], id, timestamp, body, 'sha256=' + header.slice(7).toUpperCase()),
    ).toBe(true);
  });

  it('accepts a previous secret during rotation and rejects one that was never configured', () => {
    const signedWithOld = signMessage('old-secret-0123456789', id, timestamp, body);
    expect(
      verifySignature(['new-secret-0123456789', 'old-secret-0123456789'], id, timestamp, body, signedWithOld),
    ).toBe(true);
    expect(verifySignature(['new-secret-0123456789'], id, timestamp, body, signedWithOld)).toBe(false);
  });

  it('recognises the header form', () => {
    expect(isWellFormedSignature(header)).toBe(true);
    expect(isWellFormedSignature('sha256=abc')).toBe(false);
    expect(isWellFormedSignature('md5=' + 'a'.repeat(64))).toBe(false);
  });
});
