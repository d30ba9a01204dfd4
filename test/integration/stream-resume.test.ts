import { afterEach, describe, expect, it } from '@jest/globals';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRelay } from '../../src/relay/start-relay.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { openSse, type SseConnection } from '../support/sse-reader.js';
import { ALL_TOKEN, follow, postEvent, postFollows, writeStreamsConfig } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A config file with one stream `all`, removed after the test. */
function streamsConfig(extra: Record<string, unknown> = {}): string {
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  return writeStreamsConfig([{ name: 'all', token: ALL_TOKEN, ...extra }], files);
}

const messageIds = (connection: SseConnection) =>
  connection.events.map((e) => JSON.parse(e.data).id as string);
const seqs = (connection: SseConnection) => connection.events.map((e) => Number(e.id));

/** Strictly increasing: in order, no duplicate. */
function expectIncreasing(values: number[]) {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]!);
}

describe('stream resume', () => {
  it('after a client disconnect, Last-Event-ID brings every one of 1,000 events sent meanwhile, once, in order, then live ones', async () => {
    const relay = await startTestRelay({ CONFIG_FILE: streamsConfig() });
    cleanups.push(() => relay.close());
    const before = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    const early = await postFollows(relay.url, TEST_SECRET, 5);
    await waitFor(() => before.events.length === 5);
    const lastSeen = before.events.at(-1)!.id!;
    before.close();

    const whileAway = await postFollows(relay.url, TEST_SECRET, 1000);
    // Reconnect as EventSource does, while more events keep arriving during the catch-up.
    const resumed = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}&since=now`, {
      'Last-Event-ID': lastSeen,
    });
    const duringCatchUp = await postFollows(relay.url, TEST_SECRET, 200, 4);
    await waitFor(() => resumed.events.length >= 1200, 30_000, '1,200 events on the resumed stream');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(resumed.events).toHaveLength(1200);
    expectIncreasing(seqs(resumed));
    expect(Number(resumed.events[0]!.id)).toBeGreaterThan(Number(lastSeen));
    const received = new Set(messageIds(resumed));
    expect(received.size).toBe(1200);
    for (const id of [...whileAway, ...duringCatchUp]) expect(received.has(id)).toBe(true);
    for (const id of early) expect(received.has(id)).toBe(false);
    // Every seq the store holds after the last one seen, and no other.
    const stored = await relay.store.readEventsAfter(Number(lastSeen), 5000);
    expect(seqs(resumed)).toEqual(stored.map((e) => e.seq));
    resumed.close();
  }, 60_000);

  it('after a relay restart, a client resumes from its Last-Event-ID with what was stored before and after', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const configFile = streamsConfig();
    const start = async () => {
      const config = loadRelayConfig({
        DATA_DIR: dir.path,
        PORT: '0',
        EVENTSUB_SECRET: TEST_SECRET,
        CONFIG_FILE: configFile,
      });
      config.server.shutdownTimeoutMs = 1000;
      return startRelay(config, createLogger('silent'));
    };
    const first = await start();
    const stream = await openSse(`${first.url}/stream/all?token=${ALL_TOKEN}`);
    await postFollows(first.url, TEST_SECRET, 3);
    await waitFor(() => stream.events.length === 3);
    const survivor = await openSse(`${first.url}/stream/all?token=${ALL_TOKEN}`);
    stream.close();
    const missedBeforeStop = await postFollows(first.url, TEST_SECRET, 2);
    await first.stop();
    await survivor.ended; // stop (as on SIGTERM) ends open streams cleanly instead of hanging.

    const second = await start();
    cleanups.push(() => second.stop());
    const afterRestart = await postFollows(second.url, TEST_SECRET, 4);
    const resumed = await openSse(`${second.url}/stream/all?token=${ALL_TOKEN}`, {
      'Last-Event-ID': stream.events.at(-1)!.id!,
    });
    await postEvent(second.url, TEST_SECRET, follow('live'));
    await waitFor(() => resumed.events.length === 7);
    expect(messageIds(resumed).slice(0, 6)).toEqual(
      expect.arrayContaining([...missedBeforeStop, ...afterRestart]),
    );
    expect(JSON.parse(resumed.events[6]!.data).event.user_id).toBe('live');
    expectIncreasing([...seqs(stream), ...seqs(resumed)]);
    resumed.close();
  });

  it('cuts off a client that stops reading once its buffer passes the bound, and it resumes losing nothing', async () => {
    const relay = await startTestRelay(
      { CONFIG_FILE: streamsConfig(), STREAM_MAX_BUFFER_BYTES: '65536', MAX_BODY_BYTES: String(512 * 1024) },
      { captureLogs: true },
    );
    cleanups.push(() => relay.close());
    const slow = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    slow.response.pause(); // reads nothing from now on
    const big = (n: number) => {
      const payload = follow(String(n)) as { event: Record<string, unknown> };
      payload.event.user_name = 'x'.repeat(400 * 1024);
      return payload;
    };
    const rssBefore = process.memoryUsage().rss;
    for (let n = 0; n < 40; n++) {
      await postEvent(relay.url, TEST_SECRET, big(n));
      if (relay.logText().includes('reads too slowly')) break;
    }
    await waitFor(
      () => relay.logText().includes('reads too slowly'),
      10_000,
      'the slow client to be cut off',
    );
    const line = relay.logs().find((l) => String(l.msg).includes('reads too slowly'))!;
    expect(line).toMatchObject({ stream: 'all' });
    expect(Number(line.bufferedBytes)).toBeGreaterThan(65536);
    slow.response.resume();
    await slow.ended;
    // The relay let go of the client: the data in flight was bounded by the socket plus 64 KiB + one event.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    const stored = await relay.store.countEvents();
    const lastSeen = slow.events.at(-1)?.id ?? '0';
    const again = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`, { 'Last-Event-ID': lastSeen });
    await waitFor(() => slow.events.length + again.events.length >= stored, 15_000);
    expectIncreasing([...seqs(slow), ...seqs(again)]);
    expect(slow.events.length + again.events.length).toBe(stored);
    again.close();
  }, 60_000);
});
