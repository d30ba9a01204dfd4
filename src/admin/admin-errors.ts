import type { Response } from 'express';
import { sendJsonError } from '../server/json-error.js';

/** How to get in, said by every 401 (the CLI and the page read the same message). */
const HOW_TO_LOG_IN =
  'log in at /dashboard/ (`eventsub-relay dashboard` prints a login URL), or send Authorization: Bearer <token>; ' +
  'the token is DASHBOARD_TOKEN, else the file DATA_DIR/dashboard-token';

/** 401 with a Bearer challenge: no session, an expired one, or a wrong token. */
export function sendUnauthorized(res: Response, why: string): void {
  res.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
  sendJsonError(res, 401, 'unauthorized', `${why}; ${HOW_TO_LOG_IN}`);
}

export { sendJsonError };
