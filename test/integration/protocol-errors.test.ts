import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { LOG_LEVEL, startTestRelay } from '../support/in-process-relay.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;

beforeAll(async () => {
  relay = await startTestRelay({}, { captureLogs: true });
});
afterAll(async () => relay.close());

/** Writes raw bytes (what no well-behaved HTTP client would send) and returns everything answered. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(relay.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () => resolve(answer));
    socket.write(bytes);
  });
}

function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 2),
    ]),
  );
  return { status: Number(statusLine?.split(' ')[1]), headers, body };
}

describe("requests Node's HTTP parser refuses get short JSON, like every other rejection", () => {
  it.each([
    {
      label: 'a 32 KiB header',
      bytes: `POST /callback HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(32 * 1024)}\r\n\r\n`,
      status: 431,
      code: 'headers_too_large',
      message: /16 KiB/,
    },
    {
      label: 'a request line that is not HTTP',
      bytes: 'HELLO THERE\r\n\r\n',
      status: 400,
      code: 'bad_request',
      message: /not valid HTTP/,
    },
    {
      label: 'a Content-Length that is not a number',
      bytes: 'POST /callback HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n',
      status: 400,
      code: 'bad_request',
      message: /not valid HTTP/,
    },
  ])(
    '$label → $status JSON, logged once at info, nothing stored',
    async ({ bytes, status, code, message }) => {
      const before = await relay.store.countEvents();
      const linesBefore = relay.logs().length;
      const answer = parse(await rawExchange(bytes));
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({ error: code, message: expect.stringMatching(message) });
      expect(await relay.store.countEvents()).toBe(before);
      const lines = relay.logs().slice(linesBefore);
      expect(lines).toEqual([
        expect.objectContaining({
          level: LOG_LEVEL.info,
          status,
          reason: code,
          msg: expect.stringMatching(message),
        }),
      ]);
    },
  );
});
