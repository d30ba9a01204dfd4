import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (req: never, res: never, next: (error?: unknown) => void) => void;

/** Sets helmet's headers on a response; `headerList` is the same headers as writeHead's raw list. */
export interface SecurityHeaders {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly headerList: readonly string[];
}

/**
 * helmet's headers, worked out once by running helmet itself against a recording response, then
 * set on each /callback answer with plain `setHeader` calls. On the hot path this replaces a chain
 * of a dozen middlewares per request; the headers are exactly helmet's, because helmet's default
 * configuration does not depend on the request (no CSP nonces). Express routes keep the middleware.
 */
export function precomputedSecurityHeaders(helmetMiddleware: Middleware): SecurityHeaders {
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

  const apply = function applySecurityHeaders(_req: IncomingMessage, res: ServerResponse): void {
    for (const [name, value] of entries) res.setHeader(name, value);
    for (const name of removals) res.removeHeader(name);
  };
  // Removals need no entry in a fresh response's raw list: node:http sets none of helmet's names.
  const headerList = entries.flatMap(([name, value]) =>
    Array.isArray(value) ? value.flatMap((item) => [name, String(item)]) : [name, String(value)],
  );
  return Object.assign(apply, { headerList });
}
