/** The admin API as the page calls it: same origin, session cookie, CSRF token on every change. */

let csrfToken;

/** An answer that was not 2xx: `code` and `message` are the API's `{error, message}`. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Remembers the session's CSRF token (from login or GET /api/session). */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** The URL of an admin endpoint, relative to the page (works below a proxy's path prefix too). */
export function apiUrl(path) {
  return new URL(`../api${path}`, document.baseURI).toString();
}

/** Calls `/api<path>`; resolves with the parsed JSON, rejects with an ApiError. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(apiUrl(path), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'the relay did not answer; is it running?');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok)
    throw new ApiError(
      response.status,
      data?.error ?? 'http_error',
      data?.message ?? `HTTP ${response.status}`,
    );
  return data;
}
