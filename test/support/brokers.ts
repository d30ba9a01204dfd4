import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { freePort } from './relay-process.js';
import { waitFor } from './wait-for.js';

/** A broker server this test started itself (so it may stop it to simulate an outage). */
export interface BrokerProcess {
  port: number;
  /** kill -9: the broker disappears the way a crashed host would. */
  kill(): Promise<void>;
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function startBroker(command: string, args: string[], port: number): Promise<BrokerProcess> {
  const child: ChildProcess = spawn(command, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => acceptsConnections(port), 10_000, `${command} on port ${port}`);
  return {
    port,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** redis-server on `port` (a free one by default), in memory only, optionally with a password. */
export async function startRedisServer(
  options: { port?: number; password?: string } = {},
): Promise<BrokerProcess> {
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.password) args.push('--requirepass', options.password);
  return startBroker('redis-server', args, port);
}

/** nats-server with JetStream on `port`, storing in `storeDir` (kept across restarts), optionally with user/pass. */
export async function startNatsServer(options: {
  port?: number;
  storeDir: string;
  user?: string;
  pass?: string;
}): Promise<BrokerProcess> {
  const port = options.port ?? (await freePort());
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', options.storeDir];
  if (options.user && options.pass) args.push('--user', options.user, '--pass', options.pass);
  return startBroker('nats-server', args, port);
}

/** A real pino logger (with the relay's redaction) whose lines are kept in memory for assertions. */
export function capturedLogger(): { logger: Logger; text: () => string } {
  let text = '';
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { logger: createLogger('debug', destination), text: () => text };
}
