import type { IncomingMessage, ServerResponse } from 'node:http';

/** A handler for node:http and express alike (express also passes `next`, which these never need). */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** GET /healthz: the process answers. */
export const healthHandler: NodeHandler = (_req, res) => sendJson(res, 200, { status: 'ok' });

/** GET /readyz: 200 while the store takes writes, else 503 saying what to check. */
export function readyHandler(checkReady: () => Promise<void>): NodeHandler {
  return (_req, res) => {
    checkReady().then(
      () => sendJson(res, 200, { status: 'ready' }),
      (error: unknown) =>
        sendJson(res, 503, {
          status: 'unavailable',
          error: 'store_not_writable',
          message: `the store cannot take writes (${(error as Error).message}); check DATA_DIR / STORE_URL`,
        }),
    );
  };
}
