import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { FAST_RETRY, TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { freePort, runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { fixture, followNotification, postSigned } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'delivery-process-secret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

async function relay(env: Record<string, string>): Promise<RelayProcess> {
  const started = await startRelayProcess({ EVENTSUB_SECRET: SECRET, ...env });
  cleanups.push(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  });
  return started;
}

async function send(
  target: RelayProcess,
  payload: unknown = followNotification(),
  messageType = 'notification',
) {
  const { status, messageId } = await postSigned(target.url, SECRET, payload, messageType);
  expect(status).toBe(204);
  return messageId;
}

describe('delivery, with the relay as a real process', () => {
  it('FORWARD_URL alone: generates a 0600 whsec_ secret and forwards notifications and revocations', async () => {
    const dir = dataDir();
    const port = await freePort();
    const relayProcess = await relay({ DATA_DIR: dir, FORWARD_URL: `http://127.0.0.1:${port}/hook` });
    const secretPath = join(dir, 'forward-secret');
    expect(statSync(secretPath).mode & 0o777).toBe(0o600);
    const forwardSecret = readFileSync(secretPath, 'utf8').trim();
    expect(forwardSecret).toMatch(/^whsec_/);
    expect(relayProcess.output()).toContain(secretPath);
    expect(relayProcess.output()).not.toContain(forwardSecret);

    const consumer = await startConsumer({ secret: forwardSecret, port });
    cleanups.push(() => consumer.close());
    const ids = [
      await send(relayProcess),
      await send(relayProcess, fixture('revocation.json'), 'revocation'),
    ];
    await waitFor(() => consumer.received.length === 2);
    expect(consumer.rejected).toBe(0);
    expect(consumer.received.map((e) => e.id)).toEqual(expect.arrayContaining(ids));
  });

  it('kill -9 with deliveries pending: after restart all are delivered, none twice', async () => {
    const dir = dataDir();
    let accepting = true;
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (accepting ? undefined : 503),
    });
    cleanups.push(() => consumer.close());
    const configFile = writeSinksConfig(
      [
        {
          name: 'consumer',
          kind: 'http',
          url: consumer.url,
          secret: TEST_WEBHOOK_SECRET,
          retry: { schedule: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2], jitter: 0 },
          timeoutMs: 2000,
        },
      ],
      cleanups as (() => void)[],
    );
    const env = { DATA_DIR: dir, CONFIG_FILE: configFile, LOG_LEVEL: 'warn' };
    const first = await relay(env);
    const delivered = await Promise.all(Array.from({ length: 20 }, () => send(first)));
    await waitFor(() => consumer.received.length === 20);

    accepting = false; // consumer answers 503: the next events stay pending
    const pending = await Promise.all(Array.from({ length: 20 }, () => send(first)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGKILL');
    await first.exited;

    accepting = true;
    await relay(env);
    await waitFor(() => consumer.received.length === 40, 20_000, 'all 40 events at the consumer');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = consumer.received.map((e) => e.id as string);
    expect(ids.length).toBe(40);
    expect(new Set(ids)).toEqual(new Set([...delivered, ...pending]));
  });

  it('events list / show / dead / replay from the CLI', async () => {
    const dir = dataDir();
    let failing = true;
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (failing ? 500 : undefined),
    });
    cleanups.push(() => consumer.close());
    const configFile = writeSinksConfig(
      [{ name: 'consumer', kind: 'http', url: consumer.url, secret: TEST_WEBHOOK_SECRET, retry: FAST_RETRY }],
      cleanups as (() => void)[],
    );
    const env = { DATA_DIR: dir, CONFIG_FILE: configFile, EVENTSUB_SECRET: SECRET };
    const running = await relay(env);
    const id = await send(running, fixture('notification.channel.cheer.v1.json'));
    const cli = (...args: string[]) => runCli(args, env);
    await waitFor(async () => (await cli('events', 'dead', '--json')).stdout.includes(id), 10_000);

    const list = await cli('events', 'list', '--type', 'channel.*');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/RECEIVED\s+ID\s+MESSAGE\s+TYPE\s+DELIVERIES/);
    expect(list.stdout).toContain(`${id}  notification  channel.cheer v1  consumer:dead(4)`);
    expect((await cli('events', 'list', '--type', 'stream.*')).stdout).toBe('no events match\n');

    const shown = JSON.parse((await cli('events', 'show', id, '--json')).stdout);
    expect(shown.envelope.type).toBe('channel.cheer');
    expect(shown.attempts).toHaveLength(4);
    expect((await cli('events', 'show', id)).stdout).toMatch(/Attempts\nSINK\s+#\s+STARTED/);

    failing = false;
    const replay = await cli('events', 'replay', id);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('1 deliveries queued again');
    await waitFor(() => consumer.received.length === 1, 10_000);
    expect((await cli('events', 'dead')).stdout).toBe('no dead deliveries\n');

    const unknown = await cli('events', 'show', 'no-such-id');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no event with message id no-such-id');
    const badReplay = await cli('events', 'replay', 'no-such-id');
    expect(badReplay.code).toBe(1);
    expect(badReplay.stderr).toContain('nothing was replayed');
    expect((await cli('events', 'replay')).stderr).toContain('--since');
  });

  it.each([
    [[{ name: 'x', kind: 'carrier-pigeon' }], /sinks\[0\]\.kind: unknown sink kind "carrier-pigeon"/],
    [
      [{ name: 'x', kind: 'http', url: 'not a url', secret: TEST_WEBHOOK_SECRET }],
      /sinks\[0\]\.url: must be an http\(s\) URL/,
    ],
    [
      [{ name: 'x', kind: 'http', url: 'http://127.0.0.1:1/', secret: 'hunter2' }],
      /sinks\[0\]\.secret: must be a Standard Webhooks secret/,
    ],
    [
      [
        { name: 'a', kind: 'log' },
        { name: 'a', kind: 'log' },
      ],
      /sinks\[1\]\.name: "a" is used twice/,
    ],
    [
      [{ name: 'x', kind: 'log', filter: { messageTypes: ['nope'] } }],
      /sinks\[0\]\.filter\.messageTypes\[0\]/,
    ],
  ])('bad sink config %j → named error, exit 78, nothing listening', async (sinks, message) => {
    const configFile = writeSinksConfig(sinks, cleanups as (() => void)[]);
    const result = await runCli(['serve'], {
      DATA_DIR: dataDir(),
      EVENTSUB_SECRET: SECRET,
      CONFIG_FILE: configFile,
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(message);
  });

  it('${VAR} in the config file reads the environment; an unset one is a named error', async () => {
    const dir = dataDir();
    const path = join(dir, 'relay.yml');
    writeFileSync(
      path,
      'sinks:\n  - { name: hook, kind: http, url: "${HOOK_URL}", secret: "${HOOK_SECRET}" }\n',
    );
    const result = await runCli(['serve'], {
      DATA_DIR: dir,
      EVENTSUB_SECRET: SECRET,
      CONFIG_FILE: path,
      HOOK_URL: 'http://127.0.0.1:1/',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('HOOK_SECRET is not set in the environment');
  });
});
