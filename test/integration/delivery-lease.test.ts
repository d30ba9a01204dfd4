import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { buildDelivery } from '../../src/delivery/config/build-delivery.js';
import { resolveSinks } from '../../src/delivery/config/resolve-sinks.js';
import { parseSinkEntries } from '../../src/delivery/config/sink-config.js';
import { DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { ConfigError } from '../../src/config/errors.js';
import { loadRelayConfig, type RelayConfig } from '../../src/config/relay-config.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createSinkRegistry, type SinkRegistry } from '../../src/sinks/registry.js';
import type { Sink } from '../../src/sinks/sink.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { envelopeFrom } from '../support/envelopes.js';
import { captureLogs } from '../support/log-capture.js';
import { insertIfNew } from '../support/store-writes.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

/**
 * DELIVERY_LEASE_MS: how long a delivery claimed by a worker stays its own. A replica that dies
 * mid-delivery leaves its deliveries to the others for that long, so a shorter lease hands them
 * over sooner. Workers here run on a clock the test moves (SQLite compares leases with it).
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function config(env: Record<string, string> = {}): RelayConfig {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return loadRelayConfig({ DATA_DIR: dir.path, EVENTSUB_SECRET: 'lease-test-secret-123', ...env });
}

function openStore(dataDir: string): SqliteStore {
  const store = SqliteStore.open(join(dataDir, 'relay.sqlite'));
  cleanups.push(() => store.close());
  return store;
}

/** A replica's view of the store that dies on `kill()`: from then on nothing it does reaches the store. */
function dyingStore(store: Store): { store: Store; kill(): void } {
  let dead = false;
  const view = new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        dead ? new Promise(() => undefined) : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
  return { store: view, kill: () => (dead = true) };
}

/** A sink named `consumer` that keeps what it was given; `hang` makes it never answer. */
function consumerSink(hang: boolean): Sink & { received: string[] } {
  const received: string[] = [];
  return {
    name: 'consumer',
    received,
    deliver: (envelope) => {
      received.push(envelope.id);
      return hang ? new Promise(() => undefined) : Promise.resolve();
    },
  };
}

/** What startRelay hands buildDelivery for this config: its sinks, DATA_DIR and lease. */
function sinksOf(relayConfig: RelayConfig, kinds: SinkRegistry) {
  const fileSinks = parseSinkEntries(kinds, relayConfig.file.sinks);
  return {
    definitions: resolveSinks(relayConfig.delivery, fileSinks, kinds, undefined),
    dataDir: relayConfig.dataDir,
    leaseMs: relayConfig.delivery.leaseMs,
  };
}

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const secret = TEST_WEBHOOK_SECRET;

describe('DELIVERY_LEASE_MS', () => {
  it('is 60 s unless set; below 10 s it is refused with the reason', () => {
    expect(config().delivery.leaseMs).toBe(60_000);
    expect(config({ DELIVERY_LEASE_MS: '15000' }).delivery.leaseMs).toBe(15_000);
    expect(() => config({ DELIVERY_LEASE_MS: '5000' })).toThrow(
      'DELIVERY_LEASE_MS: must be at least 10000 (ms): a lease must outlast the longest delivery attempt plus 5 s to record it',
    );
  });

  it('is the lease of the relay’s worker; a sink whose attempts cannot end inside it stops the start, naming the value that fits', async () => {
    const relayConfig = config({
      DELIVERY_LEASE_MS: '15000',
      CONFIG_FILE: writeSinksConfig(
        [
          { name: 'log', kind: 'log' },
          { name: 'quick', kind: 'http', url: 'http://127.0.0.1:9/hook', secret, timeoutMs: 5000 },
        ],
        cleanups as (() => void)[],
      ),
    });
    const store = openStore(relayConfig.dataDir);
    const kinds = createSinkRegistry();
    const { logger } = captureLogs();
    // The log sink has no timeoutMs: its 30 s default deadline shrinks to fit the 15 s lease.
    const { worker } = await buildDelivery(
      sinksOf(relayConfig, kinds),
      kinds,
      store,
      logger,
      createMetrics(),
    );
    cleanups.push(() => worker.stop(0));
    expect(worker.leaseMs).toBe(15_000);

    const slow = config({
      DELIVERY_LEASE_MS: '15000',
      CONFIG_FILE: writeSinksConfig(
        [{ name: 'slow', kind: 'http', url: 'http://127.0.0.1:9/hook', secret, timeoutMs: 20_000 }],
        cleanups as (() => void)[],
      ),
    });
    const refused = buildDelivery(
      sinksOf(slow, kinds),
      kinds,
      openStore(slow.dataDir),
      logger,
      createMetrics(),
    );
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(
      /^DELIVERY_LEASE_MS: 15000 ms is too short for sink slow: .* Set DELIVERY_LEASE_MS to at least 26000, or lower the sink's timeoutMs$/,
    );
  });

  it('a short lease lets another worker take over an abandoned delivery sooner', async () => {
    const { leaseMs: deliveryLeaseMs } = config({ DELIVERY_LEASE_MS: '10000' }).delivery;
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const store = openStore(dir.path);
    const clock = { now: T0 };
    const worker = (sink: Sink, on: Store) =>
      new DeliveryWorker({
        store: on,
        sinks: [{ sink, retry: { scheduleSeconds: [5], jitter: 0 }, concurrency: 1 }],
        logger: captureLogs().logger,
        metrics: createMetrics(),
        leaseMs: deliveryLeaseMs,
        now: () => clock.now,
      });
    const envelope = envelopeFrom(undefined, { receivedAt: new Date(T0).toISOString() });
    await insertIfNew(store, envelope, ['consumer']);

    // Replica a claims the delivery, sends it (its consumer never answers) and dies.
    const dying = dyingStore(store);
    const hanging = consumerSink(true);
    worker(hanging, dying.store).start();
    await waitFor(() => hanging.received.length === 1, 10_000, 'replica a attempting the delivery');
    dying.kill();

    // While a's lease runs, nobody else may claim the delivery (it could still be on its way).
    expect(await store.claimDue('consumer', new Date(T0 + deliveryLeaseMs - 1), 1, deliveryLeaseMs)).toEqual(
      [],
    );
    // Replica b, once the 10 s lease is over (the default lease would hold it for 60 s).
    clock.now = T0 + deliveryLeaseMs;
    const consumer = consumerSink(false);
    const b = worker(consumer, store);
    cleanups.push(() => b.stop(0)); // a is dead: its stop would wait for a store that no longer answers
    b.start();
    await waitFor(
      async () => (await store.getEvent(envelope.id))?.deliveries[0]?.status === 'delivered',
      10_000,
      'replica b delivered it',
    );
    expect(consumer.received).toEqual([envelope.id]);
    expect((await store.getEvent(envelope.id))!.attempts.map((a) => a.startedAt.getTime())).toEqual([
      T0 + deliveryLeaseMs,
    ]);
  });
});
