import http from 'node:http';

export interface AdminAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

/**
 * One request to the relay with node:http, headers exactly as given (a browser's Origin and
 * Sec-Fetch-Site included, which a test must be able to forge).
 */
export function adminRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<AdminAnswer> {
  const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const body = text === undefined ? undefined : Buffer.from(text);
  const headers: Record<string, string | number> = { ...options.headers };
  if (body) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.end(body);
  });
}

/** The `name=value` part of a Set-Cookie header, for sending the cookie back. */
export function cookiePair(answer: AdminAnswer): string {
  const setCookie = answer.headers['set-cookie']?.[0];
  if (!setCookie) throw new Error(`no Set-Cookie in the answer (${answer.status} ${answer.text})`);
  return setCookie.split(';')[0]!;
}

/** Logs in with `token`; returns the cookie to send back and the session's CSRF token. */
export async function logIn(relayUrl: string, token: string): Promise<{ cookie: string; csrfToken: string }> {
  const answer = await adminRequest(`${relayUrl}/api/login`, { method: 'POST', body: { token } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return { cookie: cookiePair(answer), csrfToken: (answer.json as { csrfToken: string }).csrfToken };
}
