import type { RequestHandler } from 'express';
import { tokenMatches } from '../stream/token-check.js';
import { SESSION_COOKIE, readCookie } from './cookies.js';
import { sendJsonError, sendUnauthorized } from './admin-errors.js';
import type { AdminSession, SessionStore } from './session-store.js';

/** Methods that change nothing: no CSRF token needed. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'X-CSRF-Token';

/** Who a request acts for, set on `res.locals.admin` by the middleware. */
export type AdminCaller = { via: 'bearer' } | { via: 'session'; sessionId: string; session: AdminSession };

/**
 * Lets a request through with either `Authorization: Bearer <token>` (the CLI: a header no other
 * site can make a browser send, so no CSRF token) or the session cookie set by POST /api/login;
 * with the cookie, every request that changes something must carry the session's CSRF token in
 * X-CSRF-Token. Tokens are compared in constant time.
 */
export function adminAuth(token: string, sessions: SessionStore): RequestHandler {
  return (req, res, next) => {
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      if (!tokenMatches(presented, token))
        return sendUnauthorized(res, 'the Authorization header does not carry the dashboard token');
      res.locals.admin = { via: 'bearer' } satisfies AdminCaller;
      return next();
    }
    const sessionId = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = sessions.find(sessionId);
    if (!session || !sessionId)
      return sendUnauthorized(res, sessionId ? 'the session has ended' : 'not logged in');
    if (!SAFE_METHODS.has(req.method)) {
      const csrf = req.get(CSRF_HEADER);
      if (csrf === undefined)
        return sendJsonError(
          res,
          403,
          'csrf_token_missing',
          `send the session's CSRF token in ${CSRF_HEADER} (POST /api/login and GET /api/session return it as csrfToken)`,
        );
      if (!tokenMatches(csrf, session.csrfToken))
        return sendJsonError(
          res,
          403,
          'csrf_token_mismatch',
          `${CSRF_HEADER} is not this session's CSRF token; reload the dashboard (GET /api/session returns it)`,
        );
    }
    res.locals.admin = { via: 'session', sessionId, session } satisfies AdminCaller;
    next();
  };
}
