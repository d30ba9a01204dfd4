import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { followNotification, signedRequest } from '../support/sign.js';
import { signMessage } from '../../src/twitch/signature.js';
import { LOG_LEVEL, startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { rawPost } from '../support/raw-post.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;

beforeAll(async () => {
  relay = await startTestRelay({}, { captureLogs: true });
});
afterAll(async () => relay.close());

/** A follow notification whose user name has non-ASCII letters, as UTF-8 JSON text. */
function notificationText(): string {
  const payload = followNotification();
  (payload.event as Record<string, unknown>).user_name = 'Zoë_Łukasz_日本';
  return JSON.stringify(payload);
}

/** Signs exactly `bytes` (what the relay verifies) and POSTs them with node:http. */
async function postBytes(bytes: Buffer, extraHeaders: Record<string, string> = {}) {
  const signed = signedRequest(TEST_SECRET, 'placeholder');
  const headers = { ...signed.headers, ...extraHeaders };
  const id = headers['Twitch-Eventsub-Message-Id']!;
  const timestamp = headers['Twitch-Eventsub-Message-Timestamp']!;
  // Signed over exactly these bytes: the signature holds, only the encoding is wrong.
  headers['Twitch-Eventsub-Message-Signature'] = signMessage(TEST_SECRET, id, timestamp, bytes);
  const before = relay.logs().length;
  const count = await relay.store.countEvents();
  const answer = await rawPost(`${relay.url}/callback`, bytes, { headers });
  // The log sink's lines (an event stored just before, written after its 204) are not the relay's own.
  const lines = relay
    .logs()
    .slice(before)
    .filter((line) => line.sink === undefined);
  return { answer, id, lines, count };
}

describe('a signed body that is not UTF-8 JSON text is refused, never stored altered', () => {
  it('the same text in UTF-8 is stored (the control case)', async () => {
    const { answer, id } = await postBytes(Buffer.from(notificationText(), 'utf8'));
    expect(answer.status).toBe(204);
    expect((await relay.store.getEvent(id))?.envelope.event).toMatchObject({ user_name: 'Zoë_Łukasz_日本' });
  });

  it.each([
    ['Latin-1 (invalid UTF-8 bytes)', () => Buffer.from(notificationText().replace('_日本', ''), 'latin1')],
    ['UTF-16LE', () => Buffer.from(notificationText(), 'utf16le')],
    [
      'UTF-8 with a byte-order mark',
      () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(notificationText())]),
    ],
    ['gzip (Content-Encoding is not decoded)', () => gzipSync(notificationText())],
  ])('%s → 400 invalid_json, one warn line, nothing stored', async (_label, bytes) => {
    const encoding = _label.startsWith('gzip') ? { 'Content-Encoding': 'gzip' } : undefined;
    const { answer, id, lines, count } = await postBytes(bytes(), encoding);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error: 'invalid_json',
      message: expect.stringMatching(/UTF-8 JSON text/),
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: LOG_LEVEL.warn, status: 400, reason: 'invalid_json' }),
    ]);
    expect(await relay.store.getEvent(id)).toBeNull();
    expect(await relay.store.countEvents()).toBe(count);
  });
});
