import { spawn } from 'node:child_process';
import { freePort } from './relay-process.js';

/** A real DNS server on loopback (Debian's pebble-challtestsrv): every A query gets `defaultIPv4`. */
export interface FakeDns {
  /** `127.0.0.1:<port>`, for `doctor --dns-server`. */
  server: string;
  /** Answers A queries for `name` with `addresses` instead (its management API). */
  setA(name: string, addresses: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startDns(defaultIPv4: string): Promise<FakeDns> {
  const [dns, management] = [await freePort(), await freePort()];
  const child = spawn(
    'pebble-challtestsrv',
    [
      '-dns01',
      `127.0.0.1:${dns}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-management',
      `127.0.0.1:${management}`,
      '-defaultIPv4',
      defaultIPv4,
      '-defaultIPv6',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const api = (path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${management}${path}`, { method: 'POST', body: JSON.stringify(body) });
  for (let i = 0; ; i++) {
    try {
      if ((await api('/clear-a', { host: 'probe.invalid.' })).ok) break;
    } catch {
      if (i > 100) throw new Error(`pebble-challtestsrv did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    server: `127.0.0.1:${dns}`,
    async setA(name, addresses) {
      const res = await api('/add-a', { host: `${name}.`, addresses });
      if (!res.ok) throw new Error(`challtestsrv add-a failed: ${res.status}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
