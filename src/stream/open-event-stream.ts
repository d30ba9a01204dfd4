import type { ServerResponse } from 'node:http';

/**
 * Starts a Server-Sent Events answer: no Nagle delay and no idle timeout on the socket (the
 * connection lives as long as the client stays), the event-stream headers, and
 * `X-Accel-Buffering: no` so nginx passes each event on at once instead of buffering the answer.
 */
export function openEventStream(
  res: ServerResponse,
  /** `no-store` for answers that carry what only a logged-in operator may see (the admin feed). */
  cacheControl = 'no-cache, no-transform',
): void {
  res.socket?.setNoDelay(true);
  res.socket?.setTimeout(0);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': cacheControl,
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
}
