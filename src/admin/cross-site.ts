import type { Request } from 'express';

/**
 * Why a state-changing request looks like it came from another site, or undefined. Browsers say
 * where a request comes from: `Sec-Fetch-Site` (all current ones) and `Origin` (on every POST). A
 * page of another site may send a form or a fetch to the relay, so anything but the dashboard's own
 * origin is refused, on top of SameSite=Strict and the CSRF token. A client that is no browser (the
 * CLI, curl) sends neither header and passes here; it still needs the token.
 */
export function crossSiteProblem(req: Request): string | undefined {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `this request came from another site (Sec-Fetch-Site: ${site}); the admin API only acts for the dashboard's own pages`;
  const origin = req.get('origin');
  if (origin === undefined) return undefined;
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  if (origin !== own)
    return `this request came from ${origin}, not from ${own}; the admin API only acts for the dashboard's own pages (behind a proxy, forward Host and X-Forwarded-Proto)`;
  return undefined;
}
