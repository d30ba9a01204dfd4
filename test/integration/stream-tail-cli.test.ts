import { afterEach, describe, expect, it } from '@jest/globals';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { startRelay } from '../../src/relay/start-relay.js';
import { captureLogs } from '../support/log-capture.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { freePort, runCli } from '../support/relay-process.js';
import { fixture } from '../support/sign.js';
import { envelopeFrom } from '../support/envelopes.js';
import { ALL_TOKEN, follow, postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A relay on a fixed port (so a restart is found at the same address), its DATA_DIR and config. */
async function setup(streams: unknown[] = [{ name: 'all', token: ALL_TOKEN }]) {
  const files: (() => void)[] = [];
  const dir = tempDir();
  cleanups.push(() => (files.forEach((f) => f()), dir.cleanup()));
  const env = {
    DATA_DIR: dir.path,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    EVENTSUB_SECRET: TEST_SECRET,
    CONFIG_FILE: writeStreamsConfig(streams, files),
  };
  const start = async () => {
    const logs = captureLogs('debug');
    const config = loadRelayConfig(env);
    config.server.shutdownTimeoutMs = 1000;
    const relay = await startRelay(config, logs.logger);
    return { ...relay, logs };
  };
  return { env, start };
}

describe('eventsub-relay stream tail', () => {
  it('prints the events its --type admits as JSON lines and exits at --count', async () => {
    const { env, start } = await setup();
    const relay = await start();
    cleanups.push(() => relay.stop());
    const tail = runCli(['stream', 'tail', '--type', 'channel.follow', '--json', '--count', '2'], env);
    await waitFor(() => relay.logs.text().includes('stream client connected'));
    await postEvent(relay.url, TEST_SECRET, follow('1'));
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.cheer.v1.json'));
    await postEvent(relay.url, TEST_SECRET, follow('2'));
    const result = await tail;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((envelope) => [envelope.type, envelope.event.user_id])).toEqual([
      ['channel.follow', '1'],
      ['channel.follow', '2'],
    ]);
  });

  it('prints a table line per event, from --since, reading the token of the configured stream', async () => {
    const { env, start } = await setup([{ name: 'overlay' }]);
    const relay = await start();
    cleanups.push(() => relay.stop());
    await postEvent(relay.url, TEST_SECRET, follow('31'));
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    // No --stream, no --token: the first entry, and the token the relay generated into DATA_DIR.
    const result = await runCli(['stream', 'tail', '--since', '0', '--count', '2'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^\s+1\s+\d\d:\d\d:\d\d\s+channel\.follow\s+user31/);
    expect(lines[1]).toMatch(/^\s+2\s+\d\d:\d\d:\d\d\s+channel\.raid\s+/);
  });

  it('prints each event with the time it was received, not the time it is printed', async () => {
    const { env, start } = await setup();
    const relay = await start();
    cleanups.push(() => relay.stop());
    // Stored hours before the tail runs: what --since replays is old, and its time must say so.
    const receivedAt = ['2026-03-04T05:06:07.000Z', '2026-03-04T21:22:23.000Z'];
    for (const at of receivedAt) await relay.intake.accept(envelopeFrom(undefined, { receivedAt: at }));
    const result = await runCli(['stream', 'tail', '--since', '0', '--count', '2'], env);
    expect(result.code).toBe(0);
    const times = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.trim().split(/\s+/)[1]);
    expect(times).toEqual(['05:06:07', '21:22:23']);
  });

  it('reconnects with Last-Event-ID across a relay restart and prints each event once', async () => {
    const { env, start } = await setup();
    const first = await start();
    const tail = runCli(['stream', 'tail', '--json', '--count', '4'], env, { timeoutMs: 30_000 });
    await waitFor(() => first.logs.text().includes('stream client connected'));
    await postEvent(first.url, TEST_SECRET, follow('1'));
    await postEvent(first.url, TEST_SECRET, follow('2'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.stop();
    const second = await start();
    cleanups.push(() => second.stop());
    await postEvent(second.url, TEST_SECRET, follow('3'));
    await postEvent(second.url, TEST_SECRET, follow('4'));
    const result = await tail;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/stream ended; reconnecting in 3 s from 2/);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event.user_id);
    expect(ids).toEqual(['1', '2', '3', '4']);
  }, 40_000);

  it('exits 1 with what to do on a wrong token or an unknown stream', async () => {
    const { env, start } = await setup();
    const relay = await start();
    cleanups.push(() => relay.stop());
    const wrong = await runCli(['stream', 'tail', '--token', 'wrong-token-0123456789'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot open stream "all" \(401\): missing or wrong token/);
    const unknown = await runCli(['stream', 'tail', '--stream', 'nope', '--token', ALL_TOKEN], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/\(404\): no stream named "nope"/);
  });

  it('names the configured streams for a --stream the config file does not have', async () => {
    const { env } = await setup([
      { name: 'all', token: ALL_TOKEN },
      { name: 'follows', token: ALL_TOKEN },
    ]);
    const unknown = await runCli(['stream', 'tail', '--stream', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /no stream named "nope" in \S*eventsub-relay\.yml; the configured streams are all, follows/,
    );
    expect(unknown.stderr).not.toMatch(/start the relay/);
  });

  it('says where the token comes from for a configured stream the relay never ran with', async () => {
    const { env } = await setup([{ name: 'overlay' }]);
    const noToken = await runCli(['stream', 'tail', '--stream', 'overlay'], env);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/no token for stream "overlay": pass --token or set STREAM_TOKEN/);
  });
});
