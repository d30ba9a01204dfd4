import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body exceeds ${limit} bytes`);
  }
}

/** A framework's body parser consumed the request before us: its signature can no longer be checked. */
export class BodyAlreadyParsedError extends Error {
  constructor() {
    super(
      'the request body was already parsed (express.json() or similar ran first), so its signature ' +
        'cannot be checked on the raw bytes: mount the EventSub handler before any body parser, ' +
        "or give it a raw body (express.raw({ type: '*/*' }))",
    );
  }
}

/**
 * The request ended before its whole body arrived: the client hung up, or Node cut it at its
 * deadline (then the client already got its 408 from client-error.ts). The client's doing, never the store's.
 */
export class IncompleteBodyError extends Error {
  constructor(
    readonly received: number,
    cause: unknown,
  ) {
    super(`the connection ended after ${received} bytes of the body, before the rest was sent`, { cause });
  }
}

/**
 * Reads the raw request bytes, refusing (before reading) a declared Content-Length over the limit
 * and (while reading) a chunked body that grows past it. On refusal the request is paused, not
 * drained: the caller answers 413 and then discards the rest within a bound (see discard-body.ts).
 * The bytes are never decoded here: the signature is computed over exactly what arrived.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // Mounted in an app of the user's: a raw-body parser may have read the bytes already.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (parsed !== undefined) {
    if (Buffer.isBuffer(parsed) || typeof parsed === 'string') {
      const bytes = Buffer.isBuffer(parsed) ? parsed : Buffer.from(parsed);
      return bytes.length > limit ? Promise.reject(new BodyTooLargeError(limit)) : Promise.resolve(bytes);
    }
    if (req.readableEnded) return Promise.reject(new BodyAlreadyParsedError());
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', (error) => reject(new IncompleteBodyError(size, error)));
    // A request destroyed without an error emits none: without this its handler would wait forever.
    req.on('close', () => {
      if (!req.complete) reject(new IncompleteBodyError(size, undefined));
    });
  });
}
