import type { Server } from 'node:http';
import { ConfigError } from '../config/errors.js';

/**
 * The errors `listen` gives for a wrong HOST or PORT, as ConfigErrors naming the variable and what
 * to do (the CLI exits 78 on them); any other error is returned unchanged.
 */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new ConfigError(
        'PORT',
        `${where} is already in use by another process (another eventsub-relay?): stop it, or set PORT (or HOST) to a free address`,
      );
    case 'EACCES':
      return new ConfigError(
        'PORT',
        `not allowed to listen on ${where} (ports below 1024 need privileges): use a port from 1024 up such as 8080, with nginx on 443 in front`,
      );
    case 'EADDRNOTAVAIL':
      return new ConfigError(
        'HOST',
        `${host} is not an address of this machine: use 127.0.0.1 (behind nginx), 0.0.0.0 (all interfaces) or one of this host's addresses`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new ConfigError(
        'HOST',
        `cannot resolve ${host} (${error.code}): use an IP address such as 127.0.0.1, or a name this machine resolves`,
      );
    default:
      return error;
  }
}

/** Listens on `host:port`; resolves once accepting, rejects with `listenError`'s explanation. */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
