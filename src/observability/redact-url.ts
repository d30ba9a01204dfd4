/** Query parameters that carry credentials (`?token=`, `?access_token=`, `?api_key=`, `?sig=`, …). */
const SECRET_QUERY_PARAM = /token|secret|passw|key|sig|auth|credential|code/i;

/**
 * The URL with its password (or a lone user part, which brokers use as a token) and the values of
 * token-like query parameters replaced by `***`, for logs and error messages:
 * `redis://:hunter2@host:6379` → `redis://:***@host:6379`, `https://h/hook?token=abc` → `…?token=***`.
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
  for (const name of new Set(parsed.searchParams.keys()))
    if (SECRET_QUERY_PARAM.test(name)) parsed.searchParams.set(name, '***');
  return parsed.toString();
}

/** Replaces every credential-bearing URL inside free text (an error message) with its redacted form. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@[^\s]*/gi, (match) => redactUrl(match));
}
