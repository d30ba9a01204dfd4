import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { loadRelayConfig, type RelayConfig } from '../../src/config/relay-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { CloseError } from '../../src/relay/closer-stack.js';
import { startRelay, type StartRelayOptions } from '../../src/relay/start-relay.js';
import { defineSinkKind, type SinkKind } from '../../src/sinks/sink.js';
import { openStore } from '../../src/store/open-store.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { freePort } from '../support/relay-process.js';
import { postSigned } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A sink kind that counts its open instances and keeps what it was given across relays, so a test
 * sees whether a failed start left a sink open and whether acknowledged events reached it. A sink
 * named `broken` fails to be created; one named `sticky` fails to close.
 */
function trackedSinks() {
  const open = new Set<string>();
  const delivered = new Set<string>();
  const kind = defineSinkKind({
    kind: 'tracked',
    description: 'counts open instances, remembers deliveries',
    optionsSchema: z.strictObject({}),
    secretFields: [],
    create: (_options, { name }) => {
      if (name === 'broken') throw new Error('cannot reach the broker');
      open.add(name);
      return {
        name,
        async deliver(envelope) {
          delivered.add(envelope.id);
        },
        async close() {
          open.delete(name);
          if (name === 'sticky') throw new Error('the broker did not answer the close');
        },
      };
    },
  });
  return { kind: kind as SinkKind<never>, open, delivered };
}

/** One DATA_DIR with two tracked sinks and a live stream, on a port chosen now (to see it released). */
async function relaySetup(sinkNames = ['first', 'second']) {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const configFile = join(dir.path, 'eventsub-relay.yml');
  writeFileSync(
    configFile,
    stringify({
      sinks: sinkNames.map((name) => ({ name, kind: 'tracked' })),
      streams: [{ name: 'overlay', token: 'a-stream-token-0123456789' }],
    }),
  );
  const port = await freePort();
  const config: RelayConfig = loadRelayConfig({
    DATA_DIR: dir.path,
    HOST: '127.0.0.1',
    PORT: String(port),
    EVENTSUB_SECRET: TEST_SECRET,
    CONFIG_FILE: configFile,
    RETENTION_DAYS: '7',
  });
  config.server.shutdownTimeoutMs = 500;
  const sinks = trackedSinks();
  const start = (options: StartRelayOptions = {}) =>
    startRelay(config, createLogger('silent'), { sinkKinds: [sinks.kind], ...options });
  return { config, port, sinks, start, walFile: join(dir.path, 'eventsub-relay.sqlite-wal') };
}

/** True once nothing holds `port`: we can listen on it ourselves. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Handles and requests that keep this process alive (sockets, servers, timers), by type. */
async function openResources(): Promise<string[]> {
  await new Promise((resolve) => setImmediate(resolve));
  return process.getActiveResourcesInfo();
}

/** What keeps the process alive now that did not before (the test runner's own may have ended). */
async function leftOpenSince(before: readonly string[]): Promise<string[]> {
  const remaining = [...before];
  return (await openResources()).filter((type) => {
    const index = remaining.indexOf(type);
    if (index < 0) return true;
    remaining.splice(index, 1);
    return false;
  });
}

describe('startRelay: a failure after any part stops what was built', () => {
  it('fails after each part in turn: the error comes out, nothing stays open, nothing acknowledged is lost', async () => {
    const setup = await relaySetup();
    const acknowledged: string[] = [];

    // A normal start names the parts in the order they are built.
    const built: string[] = [];
    const relay = await setup.start({ afterPart: (part) => void built.push(part) });
    expect(built).toEqual([
      'store',
      'metrics',
      'sink first',
      'sink second',
      'delivery worker',
      'live streams',
      'alert queues',
      'HTTP handlers',
      'HTTP server',
      'backlog sampler',
      'retention',
    ]);
    const sent = await postSigned(relay.url, TEST_SECRET);
    expect(sent.status).toBe(204);
    acknowledged.push(sent.messageId);
    await relay.stop();
    expect(setup.sinks.open.size).toBe(0);

    for (const failing of built) {
      const before = await openResources();
      const failure = new Error(`injected after ${failing}`);
      await expect(
        setup.start({
          afterPart: (part) => {
            if (part === failing) throw failure;
          },
        }),
      ).rejects.toBe(failure);
      // fetch's own keep-alive timers from the start before may still be winding down: wait for them.
      await waitFor(async () => (await leftOpenSince(before)).length === 0, 10_000).catch(() => undefined);
      expect({ failing, leftOpen: await leftOpenSince(before) }).toEqual({ failing, leftOpen: [] });
      expect({ failing, open: [...setup.sinks.open] }).toEqual({ failing, open: [] });
      expect({ failing, free: await portIsFree(setup.port) }).toEqual({ failing, free: true });
      // The store was closed: SQLite folds its WAL back into the file when the last connection closes.
      expect({ failing, wal: existsSync(setup.walFile) }).toEqual({ failing, wal: false });

      // The next start works, and takes one more event (acknowledged before its stop).
      const again = await setup.start();
      const next = await postSigned(again.url, TEST_SECRET);
      expect(next.status).toBe(204);
      acknowledged.push(next.messageId);
      await again.stop();
    }

    // Every acknowledged event is in the store after all these starts, and reached both sinks.
    const last = await setup.start();
    cleanups.push(() => last.stop());
    for (const id of acknowledged) expect((await last.store.getEvent(id))?.envelope.id).toBe(id);
    await waitFor(() => acknowledged.every((id) => setup.sinks.delivered.has(id)), 10_000, 'deliveries');
    await waitFor(
      async () =>
        (await Promise.all(acknowledged.map((id) => last.store.getEvent(id)))).every((event) =>
          event?.deliveries.every((delivery) => delivery.status === 'delivered'),
        ),
      10_000,
      'every delivery recorded delivered',
    );
  });

  it('a sink kind whose create throws: the sinks built before it are closed, the store too, and the error says why', async () => {
    const setup = await relaySetup(['first', 'broken', 'third']);
    await expect(setup.start()).rejects.toThrow('cannot reach the broker');
    expect(setup.sinks.open.size).toBe(0);
    expect(existsSync(setup.walFile)).toBe(false);
    expect(await portIsFree(setup.port)).toBe(true);
    // Nothing was acknowledged, so nothing was stored either.
    const store = await openStore(`sqlite:${join(setup.config.dataDir, 'eventsub-relay.sqlite')}`);
    cleanups.push(() => store.close());
    expect(await store.countEvents()).toBe(0);
  });

  it('stop() goes on past a part that fails to stop, stops the rest, and names the failing part', async () => {
    const setup = await relaySetup(['first', 'sticky']);
    const relay = await setup.start();
    const sent = await postSigned(relay.url, TEST_SECRET);
    expect(sent.status).toBe(204);
    const stopped = await relay.stop().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(stopped).toBeInstanceOf(CloseError);
    expect((stopped as CloseError).message).toBe(
      'stopping failed for sink sticky (the broker did not answer the close)',
    );
    // The sink below the failing one, the server and the store were still stopped.
    expect(setup.sinks.open.size).toBe(0);
    expect(await portIsFree(setup.port)).toBe(true);
    expect(existsSync(setup.walFile)).toBe(false);
    // Stopping again changes nothing and reports the same.
    await expect(relay.stop()).rejects.toBe(stopped);

    const again = await setup.start();
    cleanups.push(() => again.stop().catch(() => undefined));
    expect((await again.store.getEvent(sent.messageId))?.envelope.id).toBe(sent.messageId);
  });
});
