import { afterEach, describe, expect, it } from '@jest/globals';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRelay, type RunningRelay } from '../../src/relay/start-relay.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { createTempDatabase } from '../support/pg-database.js';
import { openSse } from '../support/sse-reader.js';
import { ALL_TOKEN, follow, postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A replica: its own DATA_DIR and listener, the shared database, the same `streams:`. */
async function replica(storeUrl: string, configFile: string): Promise<RunningRelay> {
  const dir = tempDir();
  const config = loadRelayConfig({
    DATA_DIR: dir.path,
    PORT: '0',
    EVENTSUB_SECRET: TEST_SECRET,
    STORE_URL: storeUrl,
    CONFIG_FILE: configFile,
  });
  config.server.shutdownTimeoutMs = 1000;
  const relay = await startRelay(config, createLogger('silent'));
  cleanups.push(async () => (await relay.stop(), dir.cleanup()));
  return relay;
}

describe('live streams with replicas on PostgreSQL', () => {
  it('a client on replica A gets every event, B’s too, in seq order with no gap or duplicate, and resumes on B', async () => {
    const db = await createTempDatabase();
    cleanups.push(() => db.drop());
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    const configFile = writeStreamsConfig([{ name: 'all', token: ALL_TOKEN }], files);
    const a = await replica(db.url, configFile);
    const b = await replica(db.url, configFile);
    const onA = await openSse(`${a.url}/stream/all?token=${ALL_TOKEN}`);
    const onB = await openSse(`${b.url}/stream/all?token=${ALL_TOKEN}`);

    // Concurrent inserts on both replicas: seqs are handed out before commit, so the hubs must wait
    // for a seq still in flight instead of skipping it.
    const total = 400;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        while (next < total) {
          const n = next++;
          await postEvent(worker % 2 ? b.url : a.url, TEST_SECRET, follow(String(n)));
        }
      }),
    );
    await waitFor(
      () => onA.events.length >= total && onB.events.length >= total,
      20_000,
      'every event on both',
    );
    const stored = (await a.store.readEventsAfter(0, total * 2)).map((e) => String(e.seq));
    expect(stored).toHaveLength(total);
    expect(onA.events.map((e) => e.id)).toEqual(stored);
    expect(onB.events.map((e) => e.id)).toEqual(stored);

    // A client that was on A resumes on B (as behind nginx) from its Last-Event-ID.
    const lastSeen = onA.events[249]!.id!;
    onA.close();
    const resumed = await openSse(`${b.url}/stream/all?token=${ALL_TOKEN}`, { 'Last-Event-ID': lastSeen });
    await postEvent(a.url, TEST_SECRET, follow('after'));
    await waitFor(() => resumed.events.length === total - 250 + 1);
    expect(resumed.events.map((e) => e.id)).toEqual([...stored.slice(250), resumed.events.at(-1)!.id]);
    expect(JSON.parse(resumed.events.at(-1)!.data).event.user_id).toBe('after');
    resumed.close();
    onB.close();
  }, 60_000);
});
