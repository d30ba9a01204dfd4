import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import http from 'node:http';
import { once } from 'node:events';
import { waitFor } from '../support/wait-for.js';
import { join } from 'node:path';
import { followNotification, postSigned, signedRequest } from '../support/sign.js';
import { freePort, runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { DEFAULT_STORE, openStoreFor } from '../support/process-store.js';

const SECRET = 'process-test-secret-42';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(relay: RelayProcess): RelayProcess {
  cleanups.push(() => {
    if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
  });
  return relay;
}

function workDir(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

const send = (relay: RelayProcess, secret: string) => postSigned(relay.url, secret);

/** True when nothing listens on 127.0.0.1:port any more (a connection attempt is refused). */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function storedIds(dataDir: string): Promise<string[]> {
  const store = await openStoreFor(dataDir); // SQLite in dataDir, or its database on PostgreSQL runs
  const events = await store.listEvents({ limit: 100_000 });
  await store.close();
  return events.map((e) => e.id);
}

describe('eventsub-relay serve, as a real process', () => {
  it('starts with no configuration: creates ./data, a 0600 secret, the SQLite store, listens on 127.0.0.1', async () => {
    const cwd = workDir();
    const relay = track(await startRelayProcess({ ...DEFAULT_STORE }, { cwd }));
    const secretPath = join(cwd, 'data', 'eventsub-secret');
    expect(statSync(secretPath).mode & 0o777).toBe(0o600);
    expect(existsSync(join(cwd, 'data', 'eventsub-relay.sqlite'))).toBe(true);
    const secret = readFileSync(secretPath, 'utf8').trim();
    expect(relay.output()).toContain(secretPath);
    expect(relay.output()).not.toContain(secret);
    expect((await send(relay, secret)).status).toBe(204);
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  });

  it('a 403 invalid_signature with a generated secret names data/eventsub-secret and sync --rotate-secret', async () => {
    const cwd = workDir();
    const relay = track(await startRelayProcess({}, { cwd }));
    const signed = signedRequest('a-secret-twitch-was-given-once', followNotification());
    const res = await fetch(`${relay.url}/callback`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_signature');
    expect(body.message).toBe(
      'signature does not match: the subscription was created with a different secret than the secret in ' +
        'data/eventsub-secret (generated there because EVENTSUB_SECRET is not set); ' +
        'recreate the subscriptions with this secret: `eventsub-relay sync --rotate-secret`',
    );
    expect(relay.output()).toContain('data/eventsub-secret');
    expect(await storedIds(join(cwd, 'data'))).toEqual([]);
  });

  it('keeps stored events and the generated secret across a restart', async () => {
    const cwd = workDir();
    const first = track(await startRelayProcess({}, { cwd }));
    const secret = readFileSync(join(cwd, 'data', 'eventsub-secret'), 'utf8').trim();
    const { messageId } = await send(first, secret);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = track(await startRelayProcess({}, { cwd }));
    expect(second.output()).not.toContain('generated a new EventSub secret');
    expect((await send(second, secret)).status).toBe(204);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await storedIds(join(cwd, 'data'))).toContain(messageId);
  });

  it('an acknowledged event survives kill -9 immediately after the 204', async () => {
    const dataDir = workDir();
    const relay = track(await startRelayProcess({ DATA_DIR: dataDir, EVENTSUB_SECRET: SECRET }));
    const sent = await Promise.all(Array.from({ length: 50 }, () => send(relay, SECRET)));
    expect(sent.every((r) => r.status === 204)).toBe(true);
    relay.child.kill('SIGKILL');
    await relay.exited;
    const ids = await storedIds(dataDir);
    for (const { messageId } of sent) expect(ids).toContain(messageId);
  });

  it('after kill -9 and a restart, re-sends of acknowledged message ids are duplicates: nothing new is stored', async () => {
    const dataDir = workDir();
    const env = { DATA_DIR: dataDir, EVENTSUB_SECRET: SECRET };
    const first = track(await startRelayProcess(env));
    const requests = Array.from({ length: 30 }, (_, i) =>
      signedRequest(SECRET, followNotification(String(i))),
    );
    const post = (relay: RelayProcess, r: (typeof requests)[number]) =>
      fetch(`${relay.url}/callback`, { method: 'POST', headers: r.headers, body: r.body }).then(
        (res) => res.status,
      );
    expect(await Promise.all(requests.map((r) => post(first, r)))).toEqual(requests.map(() => 204));
    first.child.kill('SIGKILL');
    await first.exited;

    // The dedup index is rebuilt from the store on start: Twitch's retries (same id, fresh signature)
    // are acknowledged and add nothing; a new message is stored.
    const second = track(await startRelayProcess(env));
    const retries = requests.map((r) =>
      signedRequest(SECRET, JSON.parse(r.body), { messageId: r.messageId, retry: 1 }),
    );
    expect(await Promise.all(retries.map((r) => post(second, r)))).toEqual(retries.map(() => 204));
    expect(await post(second, signedRequest(SECRET, followNotification('new')))).toBe(204);
    second.child.kill('SIGKILL');
    await second.exited;
    expect((await storedIds(dataDir)).length).toBe(31);
  });

  it('stores a burst of 1,000 distinct concurrent notifications exactly once each', async () => {
    const dataDir = workDir();
    const relay = track(
      await startRelayProcess({ DATA_DIR: dataDir, EVENTSUB_SECRET: SECRET, LOG_LEVEL: 'warn' }),
    );
    const requests = Array.from({ length: 1000 }, (_, i) =>
      signedRequest(SECRET, followNotification(String(i))),
    );
    const statuses = await Promise.all(
      requests.map(async (r) => {
        const res = await fetch(`${relay.url}/callback`, {
          method: 'POST',
          headers: r.headers,
          body: r.body,
        });
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 204)).toHaveLength(1000);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    const ids = await storedIds(dataDir);
    expect(ids).toHaveLength(1000);
    expect(new Set(ids)).toEqual(new Set(requests.map((r) => r.messageId)));
  });

  it('accepts the previous secret while rotating, and never logs either', async () => {
    const dataDir = workDir();
    const relay = track(
      await startRelayProcess({
        DATA_DIR: dataDir,
        EVENTSUB_SECRET: 'rotated-new-secret-1',
        EVENTSUB_PREVIOUS_SECRETS: 'rotated-old-secret-1',
        LOG_LEVEL: 'debug',
      }),
    );
    expect((await send(relay, 'rotated-old-secret-1')).status).toBe(204);
    expect((await send(relay, 'rotated-new-secret-1')).status).toBe(204);
    expect((await send(relay, 'never-configured-secret')).status).toBe(403);
    relay.child.kill('SIGTERM');
    await relay.exited;
    expect(relay.output()).not.toMatch(/rotated-(new|old)-secret-1/);
    expect(relay.output()).not.toMatch(/sha256=[0-9a-f]{64}/);
  });

  it('an http PUBLIC_URL starts (local tests) but warns that Twitch only calls https on 443', async () => {
    const relay = track(
      await startRelayProcess({
        DATA_DIR: workDir(),
        EVENTSUB_SECRET: SECRET,
        PUBLIC_URL: 'http://127.0.0.1:9999/',
      }),
    );
    expect(relay.output()).toMatch(
      /"level":40.*PUBLIC_URL http:\/\/127\.0\.0\.1:9999 is not https on port 443.*--allow-insecure-callback/,
    );
    expect(relay.output()).toContain('Twitch should call http://127.0.0.1:9999/callback');
  });

  it.each([
    ['keep-alive', true],
    ['Connection: close', false],
  ])(
    'SIGTERM with a request in flight (body half-sent, %s): it still gets 204 and is stored, new connections are refused, exit 0',
    async (_label, keepAlive) => {
      const dataDir = workDir();
      const relay = track(await startRelayProcess({ DATA_DIR: dataDir, EVENTSUB_SECRET: SECRET }));
      const signed = signedRequest(SECRET, followNotification());
      const body = Buffer.from(signed.body);
      const agent = new http.Agent({ keepAlive });
      const req = http.request(`${relay.url}/callback`, {
        method: 'POST',
        agent,
        // The relay answers 100 Continue once it has read the headers: then the request is in flight.
        headers: { ...signed.headers, 'Content-Length': String(body.length), Expect: '100-continue' },
      });
      const answered = new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        });
        req.on('error', reject);
      });
      req.flushHeaders();
      await once(req, 'continue');
      const half = Math.floor(body.length / 2);
      req.write(body.subarray(0, half));

      relay.child.kill('SIGTERM');
      const port = Number(new URL(relay.url).port);
      await waitFor(() => connectionRefused(port), 15_000, 'the relay to stop accepting connections');
      req.end(body.subarray(half));

      expect(await answered).toEqual({ status: 204, connection: 'close' });
      expect(await relay.exited).toBe(0);
      expect(relay.output()).toContain('stopped cleanly');
      expect(await storedIds(dataDir)).toEqual([signed.messageId]);
      agent.destroy();
    },
  );

  it('SIGTERM finishes and exits 0', async () => {
    const relay = track(await startRelayProcess({ DATA_DIR: workDir(), EVENTSUB_SECRET: SECRET }));
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    expect(relay.output()).toContain('stopped cleanly');
  });

  it.each([
    [{ EVENTSUB_SECRET: 'short' }, /EVENTSUB_SECRET: must be at least 10 characters/],
    [{ EVENTSUB_SECRET: 's3cre77890ab' }, /EVENTSUB_SECRET: is a sample secret/],
    [{ PORT: 'abc' }, /PORT: /],
    [{ STORE_URL: 'mysql://x' }, /STORE_URL: must start with sqlite:/],
    [{ HOST: '999.1.1.1' }, /HOST: 999\.1\.1\.1 is not a valid IPv4 address/],
    [{ PUBLIC_URL: 'https://relay.example.com/callback' }, /PUBLIC_URL: must be an origin without a path/],
    // TEST-NET-1 (RFC 5737): a valid address that no interface of this machine has.
    [{ HOST: '192.0.2.1' }, /HOST: 192\.0\.2\.1 is not an address of this machine/],
  ])('refuses to start on bad config %j, naming the variable (exit 78)', async (env, message) => {
    // Port 0: some of these are found after the port is probed, and 8080 may be taken on this machine.
    const result = await runCli(['serve'], { DATA_DIR: workDir(), PORT: '0', ...env });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(new RegExp(`^eventsub-relay: configuration error: ${message.source}`, 'm'));
  });

  it('STORE_URL=sqlite:<path under a regular file> → configuration error naming STORE_URL (exit 78)', async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'not-a-folder'), 'a file where a folder should be');
    const result = await runCli(['serve'], {
      PORT: String(await freePort()), // the store's error, whatever else listens on 8080
      DATA_DIR: join(dir, 'data'),
      STORE_URL: `sqlite:${join(dir, 'not-a-folder', 'sub', 'relay.sqlite')}`,
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(
      /^eventsub-relay: configuration error: STORE_URL: cannot open the SQLite file .*not-a-folder\/sub\/relay\.sqlite \((EEXIST|ENOTDIR)/m,
    );
    expect(result.stderr).toContain('use sqlite:<path> in a folder this user can create and write');
  });

  it('a PORT already in use → configuration error naming PORT and HOST, what to do (exit 78)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const { port } = taken.address() as AddressInfo;
    const result = await runCli(['serve'], { DATA_DIR: workDir(), PORT: String(port) });
    expect(result.code).toBe(78);
    expect(result.stderr).toBe(
      `eventsub-relay: configuration error: PORT: 127.0.0.1:${port} is already in use by another process ` +
        '(another eventsub-relay?): stop it, or set PORT (or HOST) to a free address\n',
    );
  });
});
