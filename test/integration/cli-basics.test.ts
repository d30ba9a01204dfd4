import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_STORE } from '../support/process-store.js';
import { freePort, runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
function workDir(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}
function track(relay: RelayProcess): RelayProcess {
  cleanups.push(() => relay.child.kill('SIGKILL'));
  return relay;
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('eventsub-relay --version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    const result = await runCli([flag], {});
    expect(result).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it("is the program's only: `trigger --version 2` is the subscription version", async () => {
    const cwd = workDir();
    const result = await runCli(
      ['trigger', 'channel.follow', '--version', '2', '--to', 'http://127.0.0.1:1/callback'],
      { EVENTSUB_SECRET: 'version-flag-secret-1' },
      { cwd },
    );
    expect(result.stdout).not.toBe(`${VERSION}\n`);
    expect(`${result.stdout}${result.stderr}`).toContain('channel.follow');
  });
});

describe('read-only commands where there is no store', () => {
  it.each([
    [['events', 'list']],
    [['events', 'show', 'some-id']],
    [['events', 'dead']],
    [['events', 'replay', '--status', 'dead']],
  ])('%j says so, exits 1 and creates nothing (no DATA_DIR, no secret, no SQLite file)', async (args) => {
    const cwd = workDir();
    const dataDir = join(cwd, 'not-the-data-dir');
    // A port nothing listens on: `events replay` first looks for a running relay there and says it found none.
    const port = await freePort();
    const result = await runCli(args, { ...DEFAULT_STORE, DATA_DIR: dataDir, PORT: String(port) }, { cwd });
    expect(result.code).toBe(1);
    const lookedForRelay =
      args[1] === 'replay'
        ? `eventsub-relay events replay: no relay answers at http://127.0.0.1:${port}; acting with this command's own configuration\n`
        : '';
    expect(result.stderr).toBe(
      lookedForRelay +
        `eventsub-relay: no eventsub-relay store at SQLite not-the-data-dir/eventsub-relay.sqlite (DATA_DIR=${dataDir}, STORE_URL unset): ` +
        'no relay has stored anything there, and this command created nothing. Run it where the relay runs, with the same .env, ' +
        'DATA_DIR and STORE_URL (for the installed service: `sudo eventsub-relay …`), or start the relay there once with `eventsub-relay serve`.\n',
    );
    expect(existsSync(dataDir)).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('with a STORE_URL naming a missing SQLite file, names STORE_URL', async () => {
    const cwd = workDir();
    const result = await runCli(
      ['events', 'list'],
      { STORE_URL: `sqlite:${join(cwd, 'x.sqlite')}` },
      { cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no eventsub-relay store at SQLite x.sqlite (STORE_URL)');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--verbose says which store a command reads', async () => {
    const cwd = workDir();
    const relay = track(
      await startRelayProcess({ ...DEFAULT_STORE, EVENTSUB_SECRET: 'verbose-secret-123' }, { cwd }),
    );
    relay.child.kill('SIGTERM');
    await relay.exited;
    const result = await runCli(['events', 'list', '--verbose'], { ...DEFAULT_STORE }, { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('no events match\n');
    expect(result.stderr).toBe(
      `store: SQLite data/eventsub-relay.sqlite (STORE_URL unset: the default in DATA_DIR ${join(cwd, 'data')})\n`,
    );
    expect((await runCli(['events', 'list'], { ...DEFAULT_STORE }, { cwd })).stderr).toBe('');
  });
});

describe('TWURPLE_MOCK_API_PORT set', () => {
  it.each([[['types', '--json']], [['auth', 'status']], [['events', 'list']]])(
    '%j prints one line on stderr saying Twitch calls go to the fake (stdout stays clean)',
    async (args) => {
      const cwd = workDir();
      const result = await runCli(args, { ...DEFAULT_STORE, TWURPLE_MOCK_API_PORT: '8090' }, { cwd });
      const lines = result.stderr.split('\n').filter(Boolean);
      expect(lines[0]).toBe(
        'note: TWURPLE_MOCK_API_PORT=8090: Twitch calls (Helix and OAuth) go to the fake Twitch at ' +
          'http://localhost:8090, not to Twitch; unset it to reach the real one',
      );
      expect(result.stderr.match(/TWURPLE_MOCK_API_PORT/g)).toHaveLength(1);
      expect(result.stdout).not.toContain('TWURPLE_MOCK_API_PORT');
    },
  );

  it('unset: no such line', async () => {
    const result = await runCli(['types', '--json'], {});
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});

describe('serve', () => {
  it('--port, --host and --data-dir stand in for PORT, HOST and DATA_DIR; the start-up line says it all in words', async () => {
    const cwd = workDir();
    const port = await freePort();
    const result = runCli(
      ['serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', 'relay-data'],
      {
        ...DEFAULT_STORE,
        PORT: '1',
        DATA_DIR: 'elsewhere',
        LOG_FORMAT: 'json',
      },
      { cwd, timeoutMs: 4000 },
    );
    // runCli waits for the exit: stop the relay once it answers.
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const { stdout } = await result; // killed by the timeout after 4 s
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; path?: string });
    expect(existsSync(join(cwd, 'relay-data', 'eventsub-secret'))).toBe(true);
    expect(existsSync(join(cwd, 'elsewhere'))).toBe(false);
    const generated = lines.find((l) => l.msg.startsWith('generated a new EventSub secret'))!;
    expect(generated.level).toBe(30); // info, not warn
    const start = lines.find((l) => l.msg.startsWith('eventsub-relay '))! as (typeof lines)[0] &
      Record<string, unknown>;
    expect(start.level).toBe(30);
    expect(start).toMatchObject({
      hmacFrom: 'relay-data/eventsub-secret',
      store: 'SQLite relay-data/eventsub-relay.sqlite',
    });
    expect(start.msg).toBe(
      `eventsub-relay ${VERSION} listening on http://127.0.0.1:${port} — store: SQLite relay-data/eventsub-relay.sqlite — ` +
        'sink: log — EventSub secret: relay-data/eventsub-secret — no PUBLIC_URL yet: Twitch calls only https on port 443, ' +
        'so put nginx with TLS in front (docs/deploy.md) and set PUBLIC_URL to that origin (no public address at all? ' +
        'TRANSPORT=websocket needs none); meanwhile ' +
        '`eventsub-relay trigger channel.follow` sends a test event here, and `eventsub-relay doctor` checks each hop',
    );
  });

  it('names the callback to give Twitch and where an EventSub secret from the environment comes from', async () => {
    const relay = track(
      await startRelayProcess({
        DATA_DIR: workDir(),
        EVENTSUB_SECRET: 'start-line-secret-123',
        PUBLIC_URL: 'https://relay.example.com',
        LOG_FORMAT: 'json',
      }),
    );
    expect(relay.output()).toContain(
      '— EventSub secret: EVENTSUB_SECRET — Twitch should call https://relay.example.com/callback (PUBLIC_URL)',
    );
    expect(relay.output()).not.toContain('start-line-secret-123');
  });

  it('LOG_FORMAT=pretty writes one readable line per entry, not JSON', async () => {
    const relay = track(
      await startRelayProcess({
        DATA_DIR: workDir(),
        EVENTSUB_SECRET: 'pretty-secret-1234',
        LOG_FORMAT: 'pretty',
      }),
    );
    const start = relay
      .output()
      .split('\n')
      .find((line) => line.includes('listening on'))!;
    expect(start).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: eventsub-relay \S+ listening on http:\/\/127\.0\.0\.1:\d+ — /,
    );
    expect(relay.output()).not.toMatch(/^\{/m);
    expect(relay.output()).not.toContain('pretty-secret-1234');
  });

  it('a start that fails because the port is in use writes no secret files', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const { port } = taken.address() as AddressInfo;
    const dataDir = workDir();
    const result = await runCli(['serve'], {
      DATA_DIR: dataDir,
      PORT: String(port),
      FORWARD_URL: 'http://127.0.0.1:9/hook',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`PORT: 127.0.0.1:${port} is already in use`);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('a start that fails later (the store cannot be opened) removes the secrets it generated, keeps older ones', async () => {
    const dataDir = workDir();
    const older = 'whsec_' + Buffer.from('an older forward secret, kept!!').toString('base64');
    writeFileSync(join(dataDir, 'forward-secret'), `${older}\n`, { mode: 0o600 });
    writeFileSync(join(dataDir, 'a-file'), '');
    const result = await runCli(['serve'], {
      PORT: String(await freePort()), // the store's error, whatever else listens on 8080
      DATA_DIR: dataDir,
      STORE_URL: `sqlite:${join(dataDir, 'a-file', 'relay.sqlite')}`,
      FORWARD_URL: 'http://127.0.0.1:9/hook',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('STORE_URL: cannot open the SQLite file');
    // The EventSub secret this start generated is gone again; the forward secret from before stays.
    expect(readdirSync(dataDir).sort()).toEqual(['a-file', 'forward-secret']);
    expect(readFileSync(join(dataDir, 'forward-secret'), 'utf8')).toBe(`${older}\n`);
  });
});
