import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { ConfigError } from '../../src/config/errors.js';
import { FAST_RETRY, TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { startTestRelay } from '../support/in-process-relay.js';
import { freePort, runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { fixture, followNotification, postSigned } from '../support/sign.js';
import { openStoreFor, testStoreIsPostgres } from '../support/process-store.js';
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

/** Starts the relay in this process with `env` and returns the ConfigError it must fail with. */
async function configErrorOf(env: Record<string, string>): Promise<ConfigError> {
  const error: unknown = await startTestRelay({ EVENTSUB_SECRET: SECRET, ...env }).then(
    async (started) => {
      await started.close();
      throw new Error('the relay started despite the configuration');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
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

  it('kill -9 with deliveries pending and in flight: after restart all are delivered, each acknowledged once', async () => {
    const dir = dataDir();
    let hang = false;
    const hanging = new Set<string>();
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      // While `hang` is set the consumer takes requests and never answers them: those deliveries are
      // in flight (claimed, leased for 60 s) when the relay is killed.
      onEvent: (envelope) => {
        if (!hang) return;
        hanging.add(envelope.id as string);
        return new Promise<void>(() => undefined);
      },
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
          timeoutMs: 45_000,
        },
      ],
      cleanups as (() => void)[],
    );
    const env = { DATA_DIR: dir, CONFIG_FILE: configFile, LOG_LEVEL: 'warn' };
    const deliveredIds = async () => {
      const store = await openStoreFor(dir); // a reader beside the relay, as the CLI is
      try {
        const list = await store.listEvents({ status: 'delivered', limit: 1000 });
        return new Set(list.filter((e) => e.deliveries[0]?.status === 'delivered').map((e) => e.id));
      } finally {
        await store.close();
      }
    };

    const first = await relay(env);
    const early = await Promise.all(Array.from({ length: 20 }, () => send(first)));
    await waitFor(async () => (await deliveredIds()).size === 20, 20_000, '20 deliveries recorded');

    hang = true;
    const late = await Promise.all(Array.from({ length: 20 }, () => send(first)));
    await waitFor(() => hanging.size === 8, 20_000, 'the sink concurrency (8) in flight at the consumer');
    first.child.kill('SIGKILL');
    await first.exited;

    // What the consumer had acknowledged when the relay died is exactly what the store had recorded:
    // no event was between the consumer's 2xx and its recording (the README's at-least-once window),
    // so nothing may be sent twice to this consumer.
    const recorded = await deliveredIds();
    expect(new Set(Object.keys(consumer.acknowledged))).toEqual(recorded);
    expect(recorded).toEqual(new Set(early));

    hang = false;
    const second = await relay(env);
    // SQLite (one relay per file) releases the killed run's 8 claims at start. PostgreSQL may be shared
    // with live replicas, so there they come back when their 60 s lease runs out.
    const released = !testStoreIsPostgres();
    const allRecorded = released ? 20_000 : 100_000;
    await waitFor(async () => (await deliveredIds()).size === 40, allRecorded, 'all 40 deliveries recorded');
    expect(second.output().includes('resuming 8 deliveries an earlier run had in flight')).toBe(released);
    expect(consumer.acknowledged).toEqual(Object.fromEntries([...early, ...late].map((id) => [id, 1])));
    // The 8 in flight were never answered; the copy sent after the restart is their one acknowledgement.
    expect(consumer.deliveries.filter((d) => d.status === 204)).toHaveLength(40);
    expect(consumer.received.map((e) => e.id).sort()).toEqual([...early, ...late].sort());
  }, 150_000);

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
    expect(replay.stdout).toContain('1 delivery queued again');
    await waitFor(() => consumer.received.length === 1, 10_000);
    expect((await cli('events', 'dead')).stdout).toBe('no dead deliveries\n');

    const unknown = await cli('events', 'show', 'no-such-id');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no event with message id no-such-id');
    const badReplay = await cli('events', 'replay', 'no-such-id');
    expect(badReplay.code).toBe(1);
    expect(badReplay.stderr).toContain('nothing was replayed');
    expect((await cli('events', 'replay')).stderr).toContain('--since <time> or --status dead|pending');

    // A typo in --sink is an error naming the sinks that exist, not "0 deliveries queued", exit 0.
    const typo = await cli('events', 'replay', '--since', '1h', '--sink', 'nosuch');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('this relay has no sink named "nosuch" (its sinks: consumer)');
    // Numbers are checked before the store sees them (SQLite would say "datatype mismatch").
    for (const args of [
      ['list', '--limit', 'abc'],
      ['list', '--limit', '0'],
      ['dead', '--limit', '1.5'],
    ]) {
      const bad = await cli('events', ...args);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`'--limit <n>' argument '${args[2]}' is invalid`);
      expect(bad.stderr).toContain('must be a whole number from 1 to 10000');
      expect(bad.stderr).not.toContain('datatype mismatch');
    }
    expect((await cli('events', 'list', '--limit', '1', '--json')).code).toBe(0);
  });

  it('bad sink config → named error on stderr, exit 78, nothing listening', async () => {
    const configFile = writeSinksConfig([{ name: 'x', kind: 'carrier-pigeon' }], cleanups as (() => void)[]);
    const port = await freePort();
    const result = await runCli(['serve'], {
      PORT: String(port),
      DATA_DIR: dataDir(),
      EVENTSUB_SECRET: SECRET,
      CONFIG_FILE: configFile,
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(
      /^eventsub-relay: configuration error: sinks\[0\]\.kind: unknown sink kind "carrier-pigeon"/m,
    );
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  // The messages of the other configuration errors: a ConfigError is what `serve` turns into the
  // exit code 78 and `configuration error: <message>` (the test above, serve-process.test.ts), so
  // these start the relay in this process and read the error it fails with.
  it.each([
    [
      [{ name: 'x', kind: 'http', url: 'not a url', secret: TEST_WEBHOOK_SECRET }],
      /sinks\[0\]\.url: must be an http:\/\/ or https:\/\/ URL/,
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
    [
      [{ name: 'x', kind: 'http', url: 'http://127.0.0.1:1/', secret: TEST_WEBHOOK_SECRET, timeout: 5000 }],
      /sinks\[0\]\.timeout: unknown key; did you mean "timeoutMs"\? \(known here: .*timeoutMs/,
    ],
    [
      [{ name: 'x', kind: 'log', filters: { types: ['a'] } }],
      /sinks\[0\]\.filters: unknown key; did you mean "filter"\?/,
    ],
    [
      [{ name: 'x', kind: 'file', path: 'a', retry: { schedul: [1] } }],
      /sinks\[0\]\.retry\.schedul: unknown key; did you mean "schedule"\?/,
    ],
    [
      [{ name: 'x', kind: 'redis-stream', url: 'redis://127.0.0.1:1', passwrd: 'x' }],
      /sinks\[0\]\.passwrd: unknown key/,
    ],
    [
      [
        {
          name: 'x',
          kind: 'http',
          url: 'http://127.0.0.1:1/',
          secret: TEST_WEBHOOK_SECRET,
          timeoutMs: 120_000,
        },
      ],
      /sinks\[0\]\.timeoutMs: must be at most 45000 ms/,
    ],
    [
      [{ name: 'x', kind: 'module', path: 'x.mjs', timeoutMs: 60_000 }],
      /sinks\[0\]\.timeoutMs: must be at most 45000 ms/,
    ],
    [
      [{ name: 'x', kind: 'redis-stream', url: 'redis://127.0.0.1:1', timeoutMs: 50_000 }],
      /sinks\[0\]\.timeoutMs: must be at most 45000 ms/,
    ],
  ])('bad sink config %j → a configuration error naming it', async (sinks, message) => {
    const configFile = writeSinksConfig(sinks, cleanups as (() => void)[]);
    const error = await configErrorOf({ CONFIG_FILE: configFile });
    expect(error.message).toMatch(message);
  });

  it('a file sink named like a FORWARD_URL sink → a configuration error naming both', async () => {
    const configFile = writeSinksConfig([{ name: 'forward', kind: 'log' }], cleanups as (() => void)[]);
    const error = await configErrorOf({ CONFIG_FILE: configFile, FORWARD_URL: 'http://127.0.0.1:1/hook' });
    expect(error.message).toContain(
      `FORWARD_URL: adds an http sink named "forward", but sinks[0] in ${configFile} already has that name`,
    );
  });

  it('logs each sink once with every credential masked: URL user/password, token query, headers, secrets', async () => {
    const consumer = await startConsumer({ secret: TEST_WEBHOOK_SECRET });
    cleanups.push(() => consumer.close());
    const port = new URL(consumer.url).port;
    const secrets = [
      'url-pass-hunter2',
      'query-token-abc',
      'bearer-token-def',
      'api-key-ghi',
      'fwd-pass-jkl',
    ];
    const configFile = writeSinksConfig(
      [
        {
          name: 'consumer',
          kind: 'http',
          url: `http://relay:${secrets[0]}@127.0.0.1:${port}/hook?token=${secrets[1]}&tenant=t1`,
          secret: TEST_WEBHOOK_SECRET,
          headers: { Authorization: `Bearer ${secrets[2]}`, 'x-API-key': secrets[3], 'X-Tenant': 't1' },
        },
      ],
      cleanups as (() => void)[],
    );
    const running = await relay({
      DATA_DIR: dataDir(),
      CONFIG_FILE: configFile,
      FORWARD_URL: `http://fwd:${secrets[4]}@127.0.0.1:${port}/forwarded`,
      FORWARD_SECRET: TEST_WEBHOOK_SECRET, // the consumer verifies both sinks' requests
      LOG_LEVEL: 'debug',
    });
    const id = await send(running);
    await waitFor(() => consumer.acknowledged[id] === 2, 10_000, 'the event at both sinks');
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);

    const output = running.output();
    expect(output).toContain('sink consumer (http) ready');
    expect(output).toContain(`http://relay:***@127.0.0.1:${port}/hook?token=***&tenant=t1`);
    expect(output).toContain(
      '"headers":{"Authorization":"[redacted]","x-API-key":"[redacted]","X-Tenant":"[redacted]"}',
    );
    expect(output).toContain(`http://fwd:***@127.0.0.1:${port}/forwarded`);
    for (const secret of [...secrets, TEST_WEBHOOK_SECRET]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.replace(/^whsec_/, '')); // nor the base64 key inside
    }
  });

  it('${VAR} in the config file reads the environment; an unset one is a named error', async () => {
    const dir = dataDir();
    const path = join(dir, 'relay.yml');
    writeFileSync(
      path,
      'sinks:\n  - { name: hook, kind: http, url: "${HOOK_URL}", secret: "${HOOK_SECRET}" }\n',
    );
    const error = await configErrorOf({ DATA_DIR: dir, CONFIG_FILE: path, HOOK_URL: 'http://127.0.0.1:1/' });
    expect(error.message).toContain('HOOK_SECRET is not set in the environment');
  });
});
