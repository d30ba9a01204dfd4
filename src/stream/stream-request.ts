import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamDefinition } from './stream-config.js';

/** Where a stream request wants to start: after a seq, or live. */
export type StreamStart = { after: number } | 'now';

/** A `Last-Event-ID` or `?since=` the relay cannot read: the client is told what it accepts. */
export class BadStreamStartError extends Error {
  constructor(readonly value: string) {
    super(`cannot resume from "${value}": send a seq from an event's id: line (digits), or since=now`);
    this.name = 'BadStreamStartError';
  }
}

/**
 * Where to start. `Last-Event-ID` (what EventSource sends when it reconnects) wins over `?since=`
 * (still in the URL it was first given); neither means live.
 */
export function streamStart(req: IncomingMessage, query: URLSearchParams): StreamStart {
  const header = req.headers['last-event-id'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim() || query.get('since') || 'now';
  if (value === 'now') return 'now';
  if (!/^\d{1,15}$/.test(value)) throw new BadStreamStartError(value.slice(0, 40));
  return { after: Number(value) };
}

/**
 * CORS for a browser page on another origin: only an origin the stream's `allowOrigin` lists (or
 * `*` there) gets Access-Control-Allow-Origin; any other origin gets no CORS header, so its page
 * cannot read the stream.
 */
export function setCorsHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  stream: StreamDefinition | undefined,
): boolean {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (!origin || !stream) return false;
  const allowed = stream.allowOrigin.includes(origin) || stream.allowOrigin.includes('*');
  if (!allowed) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Last-Event-ID');
  res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
  res.setHeader('Access-Control-Max-Age', '600');
  return true;
}
