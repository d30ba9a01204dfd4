import type { Server, ServerResponse } from 'node:http';

/**
 * Shutdown for one HTTP server. Call at creation: it follows the answers being written, so that on
 * shutdown each in-flight request still gets its answer with `Connection: close`. Without that, a
 * keep-alive connection whose request finished after the shutdown began stays open (idle) and holds
 * `server.close()` until the force timeout.
 */
export function gracefulCloser(server: Server): (timeoutMs: number) => Promise<void> {
  const answering = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    answering.add(res);
    res.once('close', () => answering.delete(res));
  });

  /**
   * Stops accepting connections, lets in-flight requests finish (idle keep-alive sockets are closed
   * at once, busy ones after their answer), and after `timeoutMs` closes whatever is left.
   */
  return (timeoutMs) =>
    new Promise((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
      for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
    });
}
