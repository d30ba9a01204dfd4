import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './relay-process.js';

/**
 * A TCP forwarder on 127.0.0.1 that a test controls, put between the relay and a real broker so the
 * broker can seem to vanish (drop) or hang (stall) while the broker itself keeps running.
 */
export interface TcpProxy {
  port: number;
  /** Stops listening and cuts every connection: clients see resets, then "connection refused". */
  drop(): Promise<void>;
  /** Listens again on the same port and forwards as before. */
  restore(): Promise<void>;
  /** Accepts and keeps connections open but forwards nothing either way: a hung broker. */
  stall(): void;
  /** Forwards again, first everything held back while stalled (in order). */
  resume(): void;
  close(): Promise<void>;
}

interface Pipe {
  client: Socket;
  upstream: Socket;
  held: [Socket, Buffer][];
}

/** Starts a proxy from a free port to `127.0.0.1:targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const pipes = new Set<Pipe>();
  let stalled = false;
  let server: Server | undefined;

  const forward = (pipe: Pipe, to: Socket, data: Buffer) => {
    if (stalled) pipe.held.push([to, data]);
    else if (!to.destroyed) to.write(data);
  };
  const accept = (client: Socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const pipe: Pipe = { client, upstream, held: [] };
    pipes.add(pipe);
    client.on('data', (data: Buffer) => forward(pipe, upstream, data));
    upstream.on('data', (data: Buffer) => forward(pipe, client, data));
    const end = () => {
      pipes.delete(pipe);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(accept);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const drop = async () => {
    const closing = server;
    server = undefined;
    for (const pipe of pipes) {
      pipe.client.destroy();
      pipe.upstream.destroy();
    }
    pipes.clear();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await listen();
  return {
    port,
    drop,
    restore: listen,
    stall: () => void (stalled = true),
    resume: () => {
      stalled = false;
      for (const pipe of pipes) {
        for (const [to, data] of pipe.held.splice(0)) if (!to.destroyed) to.write(data);
      }
    },
    close: drop,
  };
}
