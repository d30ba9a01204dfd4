import type { ServerResponse } from 'node:http';

/**
 * A `{error, message}` JSON answer for the long-lived GET endpoints on node:http (live streams, the
 * alert box's stream): never cached, since the next request may well be answered differently.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ error, message });
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
