import { redactUrl, redactUrlsIn } from '../../observability/redact-url.js';
import type { SinkRegistry } from '../../sinks/registry.js';
import type { SinkDefinition } from './sink-config.js';

const REDACTED = '[redacted]';
/** Option names that hold credentials whatever the kind (`secret`, `password`, `pass`, `token`, `apiKey`, …). */
const SENSITIVE_NAME = /secret|passw|^pass$|token|api[-_]?key|auth|credential|cookie|signature|private/i;
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function redactValue(name: string, value: unknown, secretFields: readonly string[]): unknown {
  if (value === undefined || value === null) return value;
  if (secretFields.includes(name) || SENSITIVE_NAME.test(name)) return REDACTED;
  // Every header value: headers exist in sink configs mostly to carry credentials (Authorization,
  // X-Api-Key, …), and a name list would miss the custom ones. The names stay readable.
  if (name === 'headers' && isRecord(value))
    return Object.fromEntries(Object.keys(value).map((header) => [header, REDACTED]));
  if (typeof value === 'string') return LOOKS_LIKE_URL.test(value) ? redactUrl(value) : redactUrlsIn(value);
  if (Array.isArray(value)) return value.map((item) => redactValue('', item, []));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, redactValue(key, v, [])]));
  return value;
}

/**
 * The sink's options as they may be logged: the kind's `secretFields` and any credential-like option
 * name replaced, every header value replaced, and URLs with their user, password and token-like
 * query parameters masked (`http://user:***@host/hook?token=***`).
 */
export function redactSinkOptions(definition: SinkDefinition, kinds: SinkRegistry): Record<string, unknown> {
  const secretFields = kinds.get(definition.kind)?.secretFields ?? [];
  const options = isRecord(definition.options) ? definition.options : {};
  return Object.fromEntries(
    Object.entries(options).map(([key, value]) => [key, redactValue(key, value, secretFields)]),
  );
}
