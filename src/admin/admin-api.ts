/**
 * The admin API (`/api/*`), used by the dashboard and the CLI's acting commands.
 *
 * How to add endpoints: write a route group, one file per area under `routes/` (e.g.
 * `routes/subscriptions.ts`), exporting a `RouteGroup` — `(router, context) => void` that calls
 * `router.get('/subscriptions', …)` and the like — and add it to `ROUTE_GROUPS` in `routes/index.ts`.
 * Paths are relative to /api. By the time a handler runs, this file has already:
 *   - refused cross-site requests that change something (Origin / Sec-Fetch-Site),
 *   - authenticated the caller (bearer token, or session cookie + X-CSRF-Token on non-GET),
 *   - parsed a JSON body (at most 64 KiB) into `req.body`,
 *   - set `Cache-Control: no-store`.
 * Answer errors with `sendJsonError(res, status, code, message)` (admin-errors.ts): a message that
 * says what to do. An exception thrown (or a rejected promise) becomes a 500 JSON answer, logged.
 * `context` has the relay's parts (AdminDeps: store roles, worker, sinks, streams, config, logger)
 * and the sessions; never log or return the token.
 */
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { AdminDeps } from './admin-deps.js';
import { adminAuth, SAFE_METHODS } from './admin-auth.js';
import { sendJsonError } from './admin-errors.js';
import { crossSiteProblem } from './cross-site.js';
import { loginHandler } from './login.js';
import { LoginLimiter } from './login-limiter.js';
import { SessionStore } from './session-store.js';
import { ROUTE_GROUPS } from './routes/index.js';
import type { AdminContext } from './route-group.js';

/** Largest JSON body the API accepts (its requests are small forms). */
const MAX_BODY = '64kb';

export interface AdminApiOptions {
  /** Login attempts per address per minute (default 5). */
  loginLimiter?: LoginLimiter;
  sessions?: SessionStore;
}

/** The admin API as an express Router, to mount at /api. */
export function createAdminApi(deps: AdminDeps, options: AdminApiOptions = {}): Router {
  const sessions = options.sessions ?? new SessionStore();
  const limiter = options.loginLimiter ?? new LoginLimiter();
  const context: AdminContext = { ...deps, sessions };
  const router = express.Router();
  router.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (SAFE_METHODS.has(req.method)) return next();
    const problem = crossSiteProblem(req);
    if (problem) return sendJsonError(res, 403, 'cross_site_request', problem);
    next();
  });
  router.use(express.json({ limit: MAX_BODY }));
  router.post('/login', loginHandler(deps.token, sessions, limiter));
  router.use(adminAuth(deps.token, sessions));
  for (const group of ROUTE_GROUPS) group(router, context);
  router.use((req, res) => {
    sendJsonError(
      res,
      404,
      'not_found',
      `no admin endpoint ${req.method} /api${req.path}; see docs/dashboard.md`,
    );
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status === 400 && error?.type === 'entity.parse.failed')
      return sendJsonError(res, 400, 'bad_json', 'the body is not valid JSON');
    if (status === 413)
      return sendJsonError(res, 413, 'body_too_large', `the body is larger than ${MAX_BODY}`);
    if (status >= 400 && status < 500)
      return sendJsonError(res, status, 'bad_request', 'the request could not be read');
    deps.logger.error({ err: error, method: req.method, path: req.path }, 'admin API request failed');
    if (res.headersSent) return res.end();
    sendJsonError(res, 500, 'internal_error', 'the relay could not answer; its log says why');
  };
  router.use(onError);
  return router;
}
