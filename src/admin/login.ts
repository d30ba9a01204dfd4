import type { RequestHandler } from 'express';
import { tokenMatches } from '../stream/token-check.js';
import { sessionCookie } from './cookies.js';
import { sendJsonError } from './admin-errors.js';
import type { LoginLimiter } from './login-limiter.js';
import { SESSION_TTL_MS, type SessionStore } from './session-store.js';

/**
 * POST /api/login `{"token": "…"}`: with the dashboard token, a new session — the cookie (HttpOnly,
 * SameSite=Strict, Secure over https) and, in the answer, the CSRF token the page sends back on
 * every change. Attempts are limited per client address (LoginLimiter), successful ones included.
 */
export function loginHandler(token: string, sessions: SessionStore, limiter: LoginLimiter): RequestHandler {
  return (req, res) => {
    const verdict = limiter.attempt(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (!verdict.allowed) {
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      return sendJsonError(
        res,
        429,
        'too_many_attempts',
        `too many login attempts from this address; try again in ${verdict.retryAfterSeconds} s`,
      );
    }
    const body: unknown = req.body;
    const presented =
      typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string'
        ? (body as { token: string }).token
        : undefined;
    if (presented === undefined)
      return sendJsonError(
        res,
        400,
        'bad_request',
        'send {"token": "<dashboard token>"} with Content-Type: application/json',
      );
    if (!tokenMatches(presented, token))
      return sendJsonError(
        res,
        401,
        'wrong_token',
        'that is not the dashboard token; `eventsub-relay dashboard` prints a login URL with the right one ' +
          '(it is DASHBOARD_TOKEN, else the file DATA_DIR/dashboard-token)',
      );
    const { id, session } = sessions.create();
    res.setHeader(
      'Set-Cookie',
      sessionCookie(id, { secure: req.secure, maxAgeSeconds: SESSION_TTL_MS / 1000 }),
    );
    res.json({ csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAt).toISOString() });
  };
}
