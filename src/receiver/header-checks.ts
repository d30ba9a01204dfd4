import { isWellFormedSignature } from '../twitch/signature.js';
import { TwitchHeader } from '../twitch/headers.js';
import { reject, type Decision } from './decision.js';

export type HeaderBag = Record<string, string | string[] | undefined>;

/** The four headers every signed Twitch request carries, checked for presence and form. */
export interface SignedHeaders {
  messageId: string;
  timestamp: string;
  timestampMs: number;
  signature: string;
  messageType: string;
  retry: number;
}

// Twitch sends UUIDs; twitch-cli and conduits too. Anything printable up to 128 chars is accepted so
// a future id format does not cost us events, while control characters and huge values are refused.
const MESSAGE_ID = /^[\x21-\x7e]{1,128}$/;
// RFC 3339 with optional fraction (Twitch sends nanoseconds) and a zone.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const MESSAGE_TYPE = /^[a-z_]{1,64}$/;

function single(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/** Step 2 of /callback: headers present and well formed, else a 400 naming the header. */
export function checkHeaders(headers: HeaderBag): SignedHeaders | Extract<Decision, { kind: 'rejected' }> {
  const wanted = [
    [TwitchHeader.messageId, MESSAGE_ID],
    [TwitchHeader.messageTimestamp, RFC3339],
    [TwitchHeader.messageSignature, null],
    [TwitchHeader.messageType, MESSAGE_TYPE],
  ] as const;
  for (const [name, pattern] of wanted) {
    const value = single(headers, name);
    if (value === undefined || value === '') {
      return reject(
        400,
        'missing_header',
        `${name} header is missing: only Twitch EventSub requests are accepted here`,
      );
    }
    const wellFormed = pattern ? pattern.test(value) : isWellFormedSignature(value);
    if (!wellFormed) return reject(400, 'malformed_header', `${name} header is malformed`);
  }
  const timestamp = single(headers, TwitchHeader.messageTimestamp) as string;
  const timestampMs = Date.parse(timestamp);
  if (Number.isNaN(timestampMs)) {
    return reject(400, 'malformed_header', `${TwitchHeader.messageTimestamp} header is not a valid date`);
  }
  const retry = Number(single(headers, TwitchHeader.messageRetry) ?? 0);
  return {
    messageId: single(headers, TwitchHeader.messageId) as string,
    timestamp,
    timestampMs,
    signature: single(headers, TwitchHeader.messageSignature) as string,
    messageType: single(headers, TwitchHeader.messageType) as string,
    retry: Number.isInteger(retry) && retry >= 0 ? retry : 0,
  };
}
