import { afterEach, describe, expect, it } from '@jest/globals';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestRelay } from '../support/in-process-relay.js';
import { adminRequest, cookiePair, logIn } from '../support/admin-client.js';
import { runCli } from '../support/relay-process.js';

const TOKEN = 'dashboard-token-for-tests-0123456789';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relay(env: Record<string, string> = { DASHBOARD_TOKEN: TOKEN }) {
  const started = await startTestRelay(env, { captureLogs: true });
  cleanups.push(() => started.close());
  return started;
}

/** The session is still good: GET /api/session answers with it. */
async function sessionIsValid(url: string, cookie: string): Promise<boolean> {
  return (await adminRequest(`${url}/api/session`, { headers: { Cookie: cookie } })).status === 200;
}

describe('admin API: login', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie for the right token and returns the CSRF token', async () => {
    const { url, logText } = await relay();
    const answer = await adminRequest(`${url}/api/login`, { method: 'POST', body: { token: TOKEN } });
    expect(answer.status).toBe(200);
    const setCookie = answer.headers['set-cookie']!;
    expect(setCookie).toHaveLength(1);
    const flags = setCookie[0]!.split(';').map((part) => part.trim());
    expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    // Plain HTTP (a LAN address): a Secure cookie would never come back, so it is not marked Secure.
    expect(flags).not.toContain('Secure');
    expect(answer.headers['cache-control']).toBe('no-store');
    const { csrfToken } = answer.json as { csrfToken: string };
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = await adminRequest(`${url}/api/session`, { headers: { Cookie: cookiePair(answer) } });
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({ via: 'session', csrfToken });
    expect(logText()).not.toContain(TOKEN);
    expect(logText()).not.toContain(cookiePair(answer).split('=')[1]);
  });

  it('marks the cookie Secure when the trusted proxy says the request came over https', async () => {
    const { url } = await relay();
    const answer = await adminRequest(`${url}/api/login`, {
      method: 'POST',
      headers: { 'X-Forwarded-Proto': 'https' },
      body: { token: TOKEN },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']![0]!.split(';').map((part) => part.trim())).toContain('Secure');
  });

  it('answers 401 for a wrong token and sets no cookie; without a session nothing is served', async () => {
    const { url } = await relay();
    const wrong = await adminRequest(`${url}/api/login`, {
      method: 'POST',
      body: { token: 'not-the-dashboard-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.json).toEqual({
      error: 'wrong_token',
      message: expect.stringContaining('`eventsub-relay dashboard` prints a login URL'),
    });
    const missing = await adminRequest(`${url}/api/login`, { method: 'POST', body: {} });
    expect(missing.status).toBe(400);
    expect(missing.headers['set-cookie']).toBeUndefined();
    expect(missing.json).toMatchObject({ error: 'bad_request' });
    const none = await adminRequest(`${url}/api/session`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="admin"');
    expect(none.json).toEqual({ error: 'unauthorized', message: expect.stringContaining('not logged in') });
    const forged = await adminRequest(`${url}/api/session`, {
      headers: { Cookie: 'relay_admin_session=made-up-session-id' },
    });
    expect(forged.status).toBe(401);
    expect(forged.json).toMatchObject({ message: expect.stringContaining('the session has ended') });
  });

  it('refuses the sixth login attempt from one address within a minute with 429 and Retry-After, even with the right token', async () => {
    const { url } = await relay();
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await adminRequest(`${url}/api/login`, {
        method: 'POST',
        body: { token: 'guess-' + attempt },
      });
      expect(answer.status).toBe(401);
    }
    const limited = await adminRequest(`${url}/api/login`, { method: 'POST', body: { token: TOKEN } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect(limited.json).toEqual({
      error: 'too_many_attempts',
      message: expect.stringMatching(/^too many login attempts from this address; try again in \d+ s$/),
    });
    // The API stays open to the bearer token (the CLI), which was never guessed.
    const bearer = await adminRequest(`${url}/api/session`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(200);
  });
});

describe('admin API: CSRF and cross-site requests', () => {
  it('refuses a change without the CSRF token, or with a wrong one, with 403; the session is untouched', async () => {
    const { url } = await relay();
    const { cookie, csrfToken } = await logIn(url, TOKEN);
    const missing = await adminRequest(`${url}/api/logout`, { method: 'POST', headers: { Cookie: cookie } });
    expect(missing.status).toBe(403);
    expect(missing.json).toEqual({
      error: 'csrf_token_missing',
      message: expect.stringContaining('X-CSRF-Token'),
    });
    expect(missing.headers['set-cookie']).toBeUndefined();
    const wrong = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken.slice(1) + 'x' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toMatchObject({ error: 'csrf_token_mismatch' });
    expect(await sessionIsValid(url, cookie)).toBe(true);
    const right = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken },
    });
    expect(right.status).toBe(200);
    expect(right.json).toEqual({ loggedOut: true });
    expect(right.headers['set-cookie']![0]).toMatch(/^relay_admin_session=; .*Max-Age=0/);
    expect(await sessionIsValid(url, cookie)).toBe(false);
  });

  it('refuses a cross-site POST (Origin or Sec-Fetch-Site of another site) with 403, even with cookie and CSRF token', async () => {
    const { url } = await relay();
    const { cookie, csrfToken } = await logIn(url, TOKEN);
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrfToken };
    const fromOrigin = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { ...headers, Origin: 'https://evil.example' },
    });
    const fromSite = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { ...headers, 'Sec-Fetch-Site': 'cross-site' },
    });
    const sameSite = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { ...headers, 'Sec-Fetch-Site': 'same-site' },
    });
    for (const answer of [fromOrigin, fromSite, sameSite]) {
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({ error: 'cross_site_request' });
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    expect((fromOrigin.json as { message: string }).message).toContain('https://evil.example');
    expect(await sessionIsValid(url, cookie)).toBe(true);
    // A login from another site's page is refused too (no session is planted in the browser).
    const login = await adminRequest(`${url}/api/login`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
      body: { token: TOKEN },
    });
    expect(login.status).toBe(403);
    expect(login.headers['set-cookie']).toBeUndefined();
    // The dashboard's own origin passes.
    const own = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { ...headers, Origin: url, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(own.status).toBe(200);
  });

  it('accepts the bearer token without a CSRF token, and refuses a wrong bearer token with 401', async () => {
    const { url } = await relay();
    const session = await adminRequest(`${url}/api/session`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(session.status).toBe(200);
    expect(session.json).toEqual({ via: 'bearer' });
    const post = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(post.status).toBe(200);
    expect(post.json).toEqual({ loggedOut: false });
    const wrong = await adminRequest(`${url}/api/logout`, {
      method: 'POST',
      headers: { Authorization: 'Bearer not-the-token-0123456789abcdef' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="admin"');
    expect(wrong.json).toMatchObject({ error: 'unauthorized' });
  });

  it('answers an unknown endpoint and a body that is not JSON with JSON errors', async () => {
    const { url } = await relay();
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const unknown = await adminRequest(`${url}/api/nope`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'not_found' });
    const unauthenticated = await adminRequest(`${url}/api/nope`);
    expect(unauthenticated.status).toBe(401);
    const badJson = await adminRequest(`${url}/api/login`, {
      method: 'POST',
      rawBody: '{"token": ',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toEqual({ error: 'bad_json', message: 'the body is not valid JSON' });
    expect(badJson.headers['set-cookie']).toBeUndefined();
  });
});

describe('dashboard token and page', () => {
  it('generates the token once into DATA_DIR/dashboard-token (0600), never logs it, and `dashboard` prints the login URL', async () => {
    const { url, config, provisioned, logText, port } = await relay({});
    const file = join(config.dataDir, 'dashboard-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(provisioned.dashboardToken.value).toBe(token);
    expect(logText()).toContain('generated the dashboard token');
    expect(logText()).not.toContain(token);
    const cli = await runCli(['dashboard'], { DATA_DIR: config.dataDir, PORT: String(port) });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(`${url}/dashboard/#token=${token}\n`);
    // The login link works: its token opens a session.
    expect(
      (await logIn(url, decodeURIComponent(cli.stdout.trim().split('#token=')[1]!))).csrfToken,
    ).toBeTruthy();
  });

  it('`dashboard` says how to get a token when none exists yet, and creates nothing', async () => {
    const { tempDir } = await import('../support/temp-dir.js');
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const cli = await runCli(['dashboard'], { DATA_DIR: dir.path });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('no dashboard token yet: set DASHBOARD_TOKEN, or start the relay once');
    expect(cli.stdout).toBe('');
  });

  it('serves /dashboard/ with a strict CSP and nothing secret in the HTML', async () => {
    const { url } = await relay();
    const page = await adminRequest(`${url}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(page.text).not.toContain(TOKEN);
    expect(page.text).not.toMatch(/<script>|\son[a-z]+=/);
    const script = await adminRequest(`${url}/dashboard/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });
});
