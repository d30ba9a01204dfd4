import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startCountingConsumer, type CountingConsumer } from '../support/counting-consumer.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { FakeTwitch } from '../support/fake-twitch.js';
import { openStoreFor } from '../support/process-store.js';
import { freePort, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

// CONDUIT_SHARD_TRANSPORT=webhook: the relay's own /callback as a conduit shard, against the fake Twitch.
jest.setTimeout(90_000);

let twitch: FakeTwitch;
let consumer: CountingConsumer;
let relay: RelayProcess | undefined;
let dir: { path: string; cleanup(): void };

afterEach(async () => {
  if (relay && relay.child.exitCode === null && relay.child.signalCode === null) {
    relay.child.kill('SIGTERM');
    await relay.exited;
  }
  relay = undefined;
  await twitch.stop();
  await consumer.close();
  dir.cleanup();
});

async function setup(publicUrl: (port: number) => string | undefined) {
  twitch = await new FakeTwitch({ delivery: { attempts: 2, retryBaseMs: 50, timeoutMs: 3000 } }).start();
  twitch.users.push({ id: '8001', login: 'caster8001' });
  consumer = await startCountingConsumer(TEST_WEBHOOK_SECRET);
  dir = tempDir('conduit-webhook-');
  const conduit = twitch.conduits.create(1);
  const configFile = join(dir.path, 'eventsub-relay.yml');
  writeFileSync(
    configFile,
    stringify({
      conduit: { id: conduit.id },
      subscriptions: [{ type: 'stream.online', broadcaster: '8001' }],
    }),
  );
  const port = await freePort();
  const url = publicUrl(port);
  const env = {
    DATA_DIR: dir.path,
    CONFIG_FILE: configFile,
    PORT: String(port),
    TRANSPORT: 'conduit',
    CONDUIT_SHARD_TRANSPORT: 'webhook',
    ...(url && { PUBLIC_URL: url }),
    EVENTSUB_SECRET: 'a-secret-of-twenty-chars',
    TWURPLE_MOCK_API_PORT: String(twitch.port),
    TWITCH_CLIENT_ID: twitch.clientId,
    TWITCH_CLIENT_SECRET: twitch.clientSecret,
    FORWARD_URL: consumer.url('/hook'),
    FORWARD_SECRET: TEST_WEBHOOK_SECRET,
  };
  return { conduit, env };
}

describe('TRANSPORT=conduit with a webhook shard', () => {
  it('assigns PUBLIC_URL/callback to the shard, answers the conduit_shard challenge, stores and delivers each event once', async () => {
    const { conduit, env } = await setup((port) => `http://127.0.0.1:${port}`);
    relay = await startRelayProcess(env, { cwd: dir.path });
    await waitFor(() => conduit.shards[0]!.status === 'enabled', 15_000, 'the shard enabled');
    expect(conduit.shards[0]!.transport).toEqual({
      method: 'webhook',
      callback: `${env.PUBLIC_URL}/callback`,
    });
    await waitFor(() =>
      relay!.output().includes(`shard 0 of conduit ${conduit.id} is ${env.PUBLIC_URL}/callback`),
    );

    const ids = [1, 2, 3].flatMap(() => twitch.conduits.notify('stream.online').map((r) => r.messageId));
    await waitFor(() => ids.every((id) => consumer.counts().get(id) === 1), 15_000, 'three deliveries');
    expect(consumer.requests).toHaveLength(3);
    expect(twitch.eventSubRequests('POST')).toHaveLength(2); // stream.online and conduit.shard.disabled, once
  });

  it('a callback Twitch cannot verify leaves the shard failed, logged with what to do, and nothing stored', async () => {
    const { conduit, env } = await setup(() => 'http://127.0.0.1:9');
    relay = await startRelayProcess(env, { cwd: dir.path });
    // The relay reads the shard's status back for up to 15 s itself: wait longer than that on a busy machine.
    await waitFor(
      () => relay!.output().includes('Twitch did not enable shard 0 (webhook_callback_verification_failed)'),
      30_000,
      'the failed verification logged',
    );
    expect(conduit.shards[0]!.status).toBe('webhook_callback_verification_failed');
    expect(twitch.conduits.notify('stream.online').every((r) => r.deliveredTo === undefined)).toBe(true);
    const store = await openStoreFor(dir.path);
    try {
      expect(await store.countEvents()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('refuses to start without PUBLIC_URL (exit 78), before anything is assigned', async () => {
    const { conduit, env } = await setup(() => undefined);
    await expect(startRelayProcess(env, { cwd: dir.path })).rejects.toThrow(
      /exited \(78\)[^]*CONDUIT_SHARD_TRANSPORT=webhook: Twitch posts the shard’s events to PUBLIC_URL\/callback/,
    );
    expect(conduit.shards[0]!.transport).toBeUndefined();
  });
});
