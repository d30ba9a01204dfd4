import { redactUrlsIn } from './redact-url.js';

export const REDACTED = '[redacted]';

/** Key names (lower case, letters and digits only) that are secrets wherever they appear. */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'pass',
  'pwd',
]);
/** Parts of key names that mark a secret: clientSecret, x-auth-token, webhook-signature, … */
const SECRET_KEY_PARTS = [
  'secret',
  'token',
  'password',
  'passwd',
  'passphrase',
  'signature',
  'apikey',
  'privatekey',
  'credential',
];

/**
 * Endings of key names that say where a secret is kept, not what it is: `tokenFile`, `secretPath`,
 * `secret_dir`. Their values are paths a person needs to find the file (never its content).
 */
const LOCATION_KEY_ENDINGS = ['file', 'filename', 'path', 'dir'];

/**
 * Whether a field with this name holds a secret, in any case and spelling: `Authorization`,
 * `X-Api-Key`, `set-cookie`, `EVENTSUB_SECRET`, `accessToken`, `Twitch-Eventsub-Message-Signature`.
 * A key naming where a secret lives (`tokenFile`, `secretPath`) is not one.
 */
export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (LOCATION_KEY_ENDINGS.some((ending) => normalized.endsWith(ending))) return false;
  return SECRET_KEYS.has(normalized) || SECRET_KEY_PARTS.some((part) => normalized.includes(part));
}

const MAX_DEPTH = 12;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` fit for a log line: every field whose name `isSecretKey` is replaced by
 * `[redacted]` at any depth (a plain-object value is searched instead, so `secretFile: { path }`
 * keeps its path while `tokens: { accessToken }` loses the token), and URL credentials inside
 * strings are masked. The input is never modified; class instances other than arrays are kept
 * as they are (pino serializes them its own way).
 */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return value.includes('@') ? redactUrlsIn(value) : value;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[circular]';
  if (Array.isArray(value)) {
    seen.add(value);
    const copy = value.map((item) => redactSecrets(item, depth + 1, seen));
    seen.delete(value);
    return copy;
  }
  if (!isPlainObject(value)) return value;
  seen.add(value);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      isSecretKey(key) && !isPlainObject(item) && item !== undefined && item !== null
        ? REDACTED
        : redactSecrets(item, depth + 1, seen);
  }
  seen.delete(value);
  return copy;
}
