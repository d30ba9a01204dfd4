import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lanAddress, overlayOrigin } from '../../src/cli/overlay-links.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { CLI_PATH, cleanEnv, freePort, runCli, startRelayProcess } from '../support/relay-process.js';
import { writeStreamsConfig } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BOT_TOKEN = 'bot-token-given-in-the-config-0123';

async function setup(host = '127.0.0.1') {
  const files: (() => void)[] = [];
  const dir = tempDir();
  cleanups.push(() => (files.forEach((f) => f()), dir.cleanup()));
  const env = {
    DATA_DIR: dir.path,
    PORT: String(await freePort()),
    HOST: host,
    EVENTSUB_SECRET: TEST_SECRET,
    CONFIG_FILE: writeStreamsConfig([{ name: 'overlay' }, { name: 'bot', token: BOT_TOKEN }], files),
  };
  return { env, tokenFile: join(dir.path, 'stream-token-overlay') };
}

async function startServe(env: Record<string, string>) {
  const relay = await startRelayProcess(env);
  cleanups.push(async () => {
    relay.child.kill('SIGTERM');
    await relay.exited;
  });
  return relay;
}

describe('the overlay URL', () => {
  it('serve without a terminal logs each stream’s URL without its token; `overlay url` prints it whole, and it opens the page', async () => {
    const { env, tokenFile } = await setup();
    const relay = await startServe(env);
    await waitFor(() => relay.output().includes('overlay url --stream bot'));
    const token = readFileSync(tokenFile, 'utf8').trim();
    const log = relay.output();
    expect(log).toContain(`http://127.0.0.1:${env.PORT}/overlay/?stream=overlay&token=TOKEN`);
    expect(log).toContain('eventsub-relay overlay url --stream overlay');
    expect(log).not.toContain(token);
    expect(log).not.toContain(BOT_TOKEN);

    const all = await runCli(['overlay', 'url'], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      `overlay: http://127.0.0.1:${env.PORT}/overlay/?stream=overlay&token=${token}\n` +
        `bot: http://127.0.0.1:${env.PORT}/overlay/?stream=bot&token=${BOT_TOKEN}\n`,
    );
    // Listening on loopback only: the note says another PC cannot open it, and what to change.
    expect(all.stderr).toMatch(/only OBS on this machine.*HOST=0\.0\.0\.0/);

    const one = await runCli(['overlay', 'url', '--stream', 'overlay'], env);
    const url = one.stdout.trim();
    expect(url).toBe(`http://127.0.0.1:${env.PORT}/overlay/?stream=overlay&token=${token}`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="overlay.js">');
    // The token in the URL is the one the stream accepts.
    const stream = await fetch(url.replace('/overlay/', '/stream/overlay'), {
      signal: AbortSignal.timeout(5000),
    });
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
  }, 30_000);

  it('--host, --url and --page shape the URL; HOST=0.0.0.0 gives this machine’s LAN address', async () => {
    const { env } = await setup('0.0.0.0');
    const relay = await startServe(env);
    await waitFor(() => relay.output().includes('overlay url --stream bot'));
    const host = await runCli(['overlay', 'url', '--stream', 'bot', '--host', 'streampc.lan'], env);
    expect(host.stdout).toBe(`http://streampc.lan:${env.PORT}/overlay/?stream=bot&token=${BOT_TOKEN}\n`);
    expect(host.stderr).toBe('');
    const nginx = await runCli(
      ['overlay', 'url', '--stream', 'bot', '--url', 'https://relay.example.com/', '--page', 'goal'],
      env,
    );
    expect(nginx.stdout).toBe(`https://relay.example.com/overlay/goal.html?stream=bot&token=${BOT_TOKEN}\n`);
    const lan = await runCli(['overlay', 'url', '--stream', 'bot'], env);
    const address = lanAddress();
    if (address)
      expect(lan.stdout).toBe(`http://${address}:${env.PORT}/overlay/?stream=bot&token=${BOT_TOKEN}\n`);
    else expect(lan.stderr).toContain('no LAN address found');
    expect(lan.code).toBe(0);
  }, 30_000);

  it('picks a private LAN address over loopback and public ones', () => {
    const info = (address: string, internal = false) => ({
      address,
      internal,
      family: 'IPv4' as const,
      netmask: '255.255.255.0',
      mac: '00:00:00:00:00:00',
      cidr: null,
    });
    const interfaces = {
      lo: [info('127.0.0.1', true)],
      eth0: [info('203.0.113.5')],
      wlan0: [info('192.168.1.20')],
    };
    expect(lanAddress(interfaces)).toBe('192.168.1.20');
    expect(overlayOrigin({ host: '0.0.0.0', port: 8080 }, {}, interfaces)).toEqual({
      origin: 'http://192.168.1.20:8080',
    });
    expect(overlayOrigin({ host: '192.168.1.20', port: 8080 }, {}, interfaces)).toEqual({
      origin: 'http://192.168.1.20:8080',
    });
  });

  it('rejects an unknown stream, a config without streams, and a stream whose token was never generated', async () => {
    const { env } = await setup();
    const unknown = await runCli(['overlay', 'url', '--stream', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no stream named "nope"; the configured streams are overlay, bot');
    expect(unknown.stdout).toBe('');
    const never = await runCli(['overlay', 'url', '--stream', 'overlay'], env);
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('no token for stream "overlay" yet: start the relay once');
    expect(never.stdout).toBe('');
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    const none = await runCli(['overlay', 'url'], { ...env, CONFIG_FILE: writeStreamsConfig([], files) });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('has no `streams:` entries');
    const bad = await runCli(['overlay', 'url', '--page', 'wall'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('must be one of alerts, recent, counters, goal');
  }, 30_000);

  it('serve in a terminal prints the whole URL there (through script(1), a real pseudo-terminal)', async () => {
    const { env, tokenFile } = await setup();
    const child = spawn('script', ['-qefc', `${process.execPath} ${CLI_PATH} serve`, '/dev/null'], {
      env: cleanEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    cleanups.push(async () => {
      child.kill('SIGTERM');
      await exited;
    });
    await waitFor(() => output.includes('OBS browser source for stream "bot"'), 15_000);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(output).toContain(
      `OBS browser source for stream "overlay": http://127.0.0.1:${env.PORT}/overlay/?stream=overlay&token=${token}`,
    );
    expect(output).toContain(`stream=bot&token=${BOT_TOKEN}`);
  }, 30_000);
});
