import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { loginThroughBrowser } from '../support/cli-harness.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

// Each test starts real processes; on a loaded 2-core machine that alone can take seconds.
jest.setTimeout(90_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FAKE_ENTRY = 'build/fake-twitch/test/support/fake-twitch-main.js'; // `npm test` builds it (pretest)
const doc = readFileSync(join(root, 'docs', 'websocket.md'), 'utf8');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `npm run fake-twitch` as a user starts it; returns what it printed. */
async function startFake(): Promise<string> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [FAKE_ENTRY, '--port', '0'], {
    cwd: root,
  });
  cleanups.push(async () => {
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  let printed = '';
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Requests:')) ready();
    });
    child.once('close', (code) => fail(new Error(`fake-twitch exited ${code}`)));
  });
  return printed;
}

describe('docs/websocket.md, "Try it without Twitch": TRANSPORT=websocket end to end', () => {
  it("auth login as the broadcaster, then the relay receives the fake server's events through to the HTTP consumer", async () => {
    const printed = await startFake();
    const env = Object.fromEntries(
      [...printed.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const wsUrl = /TRANSPORT=websocket EVENTSUB_WS_URL=(ws:\/\/127\.0\.0\.1:\d+\/ws) npm start/.exec(
      printed,
    )![1]!;
    const controls = `http://localhost:${env.TWURPLE_MOCK_API_PORT}/_fake/eventsub-ws`;
    expect(doc).toContain('TRANSPORT=websocket EVENTSUB_WS_URL=ws://127.0.0.1:8091/ws');
    // The fake's own hint is the login the doc runs (a bare `auth login` before the config file
    // lists anything only asks which types to authorize).
    const hint = 'npx eventsub-relay auth login --types channel.follow';
    expect(printed.replace(/\s+/g, ' ')).toContain(hint);
    expect(doc).toContain(hint);

    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const configFile = join(dir.path, 'eventsub-relay.yml');
    const userEnv = { ...env, PUBLIC_URL: '', DATA_DIR: dir.path, CONFIG_FILE: configFile };
    const login = await loginThroughBrowser(['--types', 'channel.follow'], userEnv, dir.path);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('authorized streamer (user id 1337)');
    writeFileSync(configFile, 'subscriptions:\n  - { type: channel.follow, broadcaster: streamer }\n');

    const received: Array<{ id: string; type: string; event: { user_login: string } }> = [];
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      onEvent: (envelope) => void received.push(envelope as (typeof received)[number]),
    });
    cleanups.push(() => consumer.close());
    const relay: RelayProcess = await startRelayProcess(
      {
        ...userEnv,
        TRANSPORT: 'websocket',
        EVENTSUB_WS_URL: wsUrl,
        FORWARD_URL: consumer.url,
        FORWARD_SECRET: TEST_WEBHOOK_SECRET,
      },
      { cwd: dir.path },
    );
    cleanups.push(async () => {
      relay.child.kill('SIGTERM');
      await relay.exited;
    });
    await waitFor(() => relay.output().includes('subscribed 1 subscription(s)'), 15_000, 'the subscription');

    const notify = async () =>
      (
        (await (await fetch(`${controls}/notify?type=channel.follow`, { method: 'POST' })).json()) as {
          message_ids: string[];
        }
      ).message_ids;
    const ids = [...(await notify())];
    await fetch(`${controls}/reconnect`, { method: 'POST' });
    await waitFor(() => relay.output().includes('reconnected: the new connection is welcomed'));
    ids.push(...(await notify()));
    await fetch(`${controls}/close?code=4000`, { method: 'POST' });
    await waitFor(
      () => (relay.output().match(/subscribed 1 subscription/g) ?? []).length === 2,
      15_000,
      'a new session',
    );
    ids.push(...(await notify()));

    await waitFor(() => received.length === 3, 15_000, 'three events at the consumer');
    expect(received.map((e) => e.id)).toEqual(ids);
    expect(received.every((e) => e.type === 'channel.follow' && e.event.user_login === 'cool_user')).toBe(
      true,
    );
  });
});
