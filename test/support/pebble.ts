import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCert } from './nginx-fixture.js';
import { freePort } from './relay-process.js';

/** A local ACME CA (Debian's pebble) plus its fake DNS (every name → 127.0.0.1). */
export interface Pebble {
  directory: string;
  /** pebble's own listener cert: certbot trusts it via REQUESTS_CA_BUNDLE. */
  listenerCa: string;
  stop: () => Promise<void>;
}

/** Starts pebble-challtestsrv and pebble; http-01 is fetched from 127.0.0.1:`httpPort`. */
export async function startPebble(dir: string, httpPort: number): Promise<Pebble> {
  const { cert, key } = selfSignedCert(join(dir, 'listener'), 'localhost', 'DNS:localhost,IP:127.0.0.1');
  const [acme, mgmt, dns, dnsMgmt] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const config = join(dir, 'pebble.json');
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acme}`,
        managementListenAddress: `127.0.0.1:${mgmt}`,
        certificate: cert,
        privateKey: key,
        httpPort,
        tlsPort: await freePort(),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const children: ChildProcess[] = [];
  let output = '';
  const launch = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    children.push(child);
  };
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  launch('pebble-challtestsrv', [
    '-dns01',
    `127.0.0.1:${dns}`,
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-management',
    `127.0.0.1:${dnsMgmt}`,
    '-defaultIPv4',
    '127.0.0.1',
    '-defaultIPv6',
    '',
  ]);
  launch('pebble', ['-config', config, '-dnsserver', `127.0.0.1:${dns}`], {
    PEBBLE_VA_NOSLEEP: '1',
    PEBBLE_WFE_NONCEREJECT: '0',
  });
  for (let i = 0; i < 100 && !output.includes('Listening on'); i++)
    await new Promise((r) => setTimeout(r, 50));
  if (!output.includes('Listening on')) {
    await stop();
    throw new Error(`pebble did not start:\n${output}`);
  }
  return { directory: `https://localhost:${acme}/dir`, listenerCa: cert, stop };
}
