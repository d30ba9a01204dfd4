import type { ServerResponse } from 'node:http';

/** Every non-2xx answer is short JSON saying what went wrong and what to do: never HTML, never a stack. */
export function sendJsonError(res: ServerResponse, status: number, error: string, message: string): void {
  const body = JSON.stringify({ error, message });
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
