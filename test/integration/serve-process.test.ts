import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { followNotification, postSigned, signedRequest } from '../support/sign.js';
import { runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
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
  ])('refuses to start on bad config %j, naming the variable (exit 78)', async (env, message) => {
    const result = await runCli(['serve'], { DATA_DIR: workDir(), ...env });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(message);
  });
});
