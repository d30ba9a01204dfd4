import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (req: never, res: never, next: (error?: unknown) => void) => void;

/**
 * helmet's headers, worked out once by running helmet itself against a recording response, then
 * set on each /callback answer with plain `setHeader` calls. On the hot path this replaces a chain
 * of a dozen middlewares per request; the headers are exactly helmet's, because helmet's default
 * configuration does not depend on the request (no CSP nonces). Express routes keep the middleware.
 */
export function precomputedSecurityHeaders(helmetMiddleware: Middleware) {
  const headers = new Map<string, string | number | readonly string[]>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, value);
      removed.delete(name.toLowerCase());
    },
    removeHeader(name: string) {
      removed.add(name.toLowerCase());
    },
    getHeader: (name: string) => headers.get(name),
  };
  let failure: unknown;
  helmetMiddleware({} as never, recorder as never, (error) => (failure = error));
  if (failure) throw failure;
  const entries = [...headers];
  const removals = [...removed];

  return function applySecurityHeaders(_req: IncomingMessage, res: ServerResponse): void {
    for (const [name, value] of entries) res.setHeader(name, value);
    for (const name of removals) res.removeHeader(name);
  };
}
