/**
 * The URL with its password (or a lone user part, which brokers use as a token) replaced by `***`,
 * for logs and error messages: `redis://:hunter2@host:6379` → `redis://:***@host:6379`.
 * Anything that is not a URL is returned fully masked rather than risk printing a secret.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '***';
  }
  if (parsed.password) parsed.password = '***';
  else if (parsed.username) parsed.username = '***';
  return parsed.toString();
}

/** Replaces every credential-bearing URL inside free text (an error message) with its redacted form. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@[^\s]*/gi, (match) => redactUrl(match));
}
