import { createServer } from 'node:net';
import { listenError } from './listen.js';

/**
 * Binds `host:port` for a moment and lets go, so a start that cannot listen (port in use, address
 * not on this machine) fails before it has written anything, e.g. a generated secret nobody will use.
 * Rejects with listenError's explanation. Port 0 (any free port) always works: nothing to check.
 */
export function probeListen(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}
