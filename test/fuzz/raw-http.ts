import { connect } from 'node:net';

/** One HTTP/1.1 request exactly as bytes, and how those bytes are cut into TCP writes. */
export interface RawRequest {
  method: string;
  path: string;
  /** Header lines in order; values are bytes (latin1), so a value may hold any octet but CR and LF. */
  headers: readonly (readonly [string, string])[];
  body: Buffer;
  /** Content-Length, or Transfer-Encoding: chunked with the body cut into chunks of `chunkSizes` (cycled). */
  framing: 'content-length' | 'chunked';
  chunkSizes: readonly number[];
  /** Where the request's bytes are cut into separate writes, as fractions of its length. */
  splits: readonly number[];
}

export interface RawAnswer {
  /** The status line's code; 0 when the connection closed without an answer. */
  status: number;
  text: string;
}

function chunked(body: Buffer, sizes: readonly number[]): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0, i = 0; offset < body.length; i++) {
    const size = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? body.length);
    const chunk = body.subarray(offset, offset + size);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    offset += chunk.length;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** The request as the bytes a client puts on the wire (always `Connection: close`). */
export function requestBytes(request: RawRequest): Buffer {
  const framing =
    request.framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${request.body.length}`;
  const head = Buffer.from(
    `${request.method} ${request.path} HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n` +
      request.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
      `${framing}\r\n\r\n`,
    'latin1',
  );
  const body = request.framing === 'chunked' ? chunked(request.body, request.chunkSizes) : request.body;
  return Buffer.concat([head, body]);
}

/**
 * Sends the request over a fresh TCP connection, one write per piece with Nagle off and a pause
 * between pieces, so the relay reads them as separate packets; returns what it answered. An answer
 * that takes more than `timeoutMs` is a failure of its own (status -1), never a hang.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  const answer = sendOnce(port, request, timeoutMs);
  inFlight.add(answer);
  void answer.finally(() => inFlight.delete(answer));
  return answer;
}

/** Requests sent and not answered yet, including those of a run fast-check abandoned at its time limit. */
const inFlight = new Set<Promise<RawAnswer>>();

/**
 * Resolves once every request sent so far has its answer and nothing new was sent for a moment:
 * a property run that fast-check interrupts at its time limit keeps running in the background, and
 * its late events must not land in the next property's counts.
 */
export async function allAnswered(): Promise<void> {
  do {
    await Promise.allSettled([...inFlight]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (inFlight.size > 0);
}

function sendOnce(port: number, request: RawRequest, timeoutMs: number): Promise<RawAnswer> {
  const bytes = requestBytes(request);
  const cuts = [...new Set(request.splits.map((fraction) => Math.floor(fraction * bytes.length)))]
    .filter((cut) => cut > 0 && cut < bytes.length)
    .sort((a, b) => a - b);
  const pieces = [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length));
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ status: -1, text: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined); // the relay may close while we still write: read what it said
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1];
      resolve({ status: status ? Number(status) : 0, text });
    });
    socket.on('connect', async () => {
      for (const piece of pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        await new Promise((pause) => setTimeout(pause, 1));
      }
      // No end(): the request asks for Connection: close, so the relay closes once it has answered.
    });
  });
}

/** The JSON body of an answer (`{error, message}` for rejections), or undefined. */
export function answerJson(answer: RawAnswer): { error?: string; message?: string } | undefined {
  const body = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
  try {
    return JSON.parse(body) as { error?: string; message?: string };
  } catch {
    return undefined;
  }
}
