import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const SIGNATURE_PATTERN = /^sha256=[0-9a-fA-F]{64}$/;

/** True when the header has the `sha256=<64 hex>` form Twitch sends. */
export function isWellFormedSignature(header: string): boolean {
  return SIGNATURE_PATTERN.test(header);
}

/** HMAC-SHA256(secret, id + timestamp + body) as raw bytes. */
function computeSignatureBytes(secret: string, messageId: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(messageId).update(timestamp).update(body).digest();
}

/** The header value Twitch would send for this message: `sha256=<lowercase hex>`. */
export function signMessage(
  secret: string,
  messageId: string,
  timestamp: string,
  body: Buffer | string,
): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return PREFIX + computeSignatureBytes(secret, messageId, timestamp, bytes).toString('hex');
}

/**
 * Checks a well-formed `sha256=<hex>` header against every accepted secret (current first, then
 * previous ones kept during rotation). Each comparison is timing-safe; the loop always runs over
 * all secrets so the answer time does not reveal which one matched.
 */
export function verifySignature(
  secrets: readonly string[],
  messageId: string,
  timestamp: string,
  body: Buffer,
  header: string,
): boolean {
  const expected = Buffer.from(header.slice(PREFIX.length), 'hex');
  let matched = false;
  for (const secret of secrets) {
    const actual = computeSignatureBytes(secret, messageId, timestamp, body);
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) matched = true;
  }
  return matched;
}

/**
 * Checks one Twitch EventSub request's signature, for code of your own: true only when
 * `signature` is a well-formed `sha256=<hex>` header and matches HMAC-SHA256 of
 * `messageId + timestamp + body` under one of the secrets (timing-safe). Pass the body's raw bytes
 * as received, never a re-serialised object.
 */
export function verifyEventSubSignature(request: {
  secret: string | readonly string[];
  messageId: string;
  timestamp: string;
  body: Buffer | string;
  signature: string;
}): boolean {
  if (!isWellFormedSignature(request.signature)) return false;
  const secrets = typeof request.secret === 'string' ? [request.secret] : request.secret;
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  return verifySignature(secrets, request.messageId, request.timestamp, body, request.signature);
}
