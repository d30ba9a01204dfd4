import type { AdminCaller } from '../admin-auth.js';
import { clearedSessionCookie } from '../cookies.js';
import type { RouteGroup } from '../route-group.js';

/**
 * GET /api/session: who is calling, and the session's CSRF token (a page reloaded after login
 * gets it here). POST /api/logout: ends the cookie session (a bearer caller has none to end).
 */
export const sessionRoutes: RouteGroup = (router, { sessions }) => {
  router.get('/session', (_req, res) => {
    const caller = res.locals.admin as AdminCaller;
    if (caller.via === 'bearer') return res.json({ via: 'bearer' });
    res.json({
      via: 'session',
      csrfToken: caller.session.csrfToken,
      expiresAt: new Date(caller.session.expiresAt).toISOString(),
    });
  });

  router.post('/logout', (req, res) => {
    const caller = res.locals.admin as AdminCaller;
    if (caller.via === 'session') sessions.delete(caller.sessionId);
    res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
    res.json({ loggedOut: caller.via === 'session' });
  });
};
