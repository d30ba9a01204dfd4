import type { ServerResponse } from 'node:http';

/** Answers JSON the way Helix does, with a rate-limit bucket that has requests left. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // Helix sends its rate-limit bucket on every answer; with requests left, twurple surfaces a 429 instead of waiting it out.
  res
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Ratelimit-Limit': '800',
      'Ratelimit-Remaining': '799',
      'Ratelimit-Reset': String(Math.ceil(Date.now() / 1000) + 60),
    })
    .end(text);
}
