import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { DeliveryWorker } from '../../src/delivery/delivery-worker.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { Sink } from '../../src/sinks/sink.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Envelope } from '../../src/twitch/envelope.js';
import { envelopeFrom } from '../support/envelopes.js';
import { captureLogs } from '../support/log-capture.js';
import { insertIfNew } from '../support/store-writes.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A lane claiming pending work must not hold its free slots while the claim waits for its group
 * commit and the disk: deliveries the intake claims at insert meanwhile would find the lane full,
 * be stored unclaimed, wake the lane to claim them again, and so on — under steady load about one
 * delivery in ten went the slow way (claim query, event read back, second write) because of it.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A sink that keeps each delivery open until the test lets it finish, and counts how many run at once. */
function heldSink() {
  const delivered: string[] = [];
  const open: (() => void)[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const sink: Sink = {
    name: 'held',
    deliver: (envelope: Envelope) =>
      new Promise<void>((resolve) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        open.push(() => {
          running--;
          delivered.push(envelope.id);
          resolve();
        });
      }),
  };
  return {
    sink,
    delivered,
    get running() {
      return running;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    finishAll: () => open.splice(0).forEach((finish) => finish()),
  };
}

async function workerWith(concurrency: number) {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const store = SqliteStore.open(join(dir.path, 'relay.sqlite'));
  cleanups.push(() => store.close());
  const held = heldSink();
  const logs = captureLogs();
  const worker = new DeliveryWorker({
    store,
    sinks: [{ sink: held.sink, retry: { scheduleSeconds: [1], jitter: 0 }, concurrency }],
    logger: logs.logger,
    metrics: createMetrics(),
  });
  cleanups.push(() => worker.stop(1000));
  cleanups.push(() => held.finishAll());
  return { store, worker, held };
}

describe('claim slots', () => {
  it('a claim waiting for its commit leaves the free slots to deliveries claimed at insert', async () => {
    const { store, worker, held } = await workerWith(4);
    const backlog = Array.from({ length: 5 }, () => envelopeFrom());
    for (const envelope of backlog) await insertIfNew(store, envelope, ['held']);

    worker.start(); // the lane's claim is now queued for the next group commit
    expect(worker.reserve(['held'])).toEqual(['held']);
    const fresh = envelopeFrom();
    const claim = { token: 'claimed-at-insert', leaseMs: worker.leaseMs };
    const { deliveryIds } = (await store.insertEvent(fresh, [{ sink: 'held', claim }])) as {
      deliveryIds: number[];
    };
    worker.startReserved(
      ['held'],
      [{ deliveryId: deliveryIds[0]!, claimToken: claim.token, sink: 'held', attempts: 0, envelope: fresh }],
    );

    // The claim counted its slots when it ran: three of the backlog, beside the one claimed at insert.
    await waitFor(() => held.running === 4);
    expect(worker.reserve(['held'])).toEqual([]);

    // Each slot that frees takes the rest of the backlog; never more than four at once.
    for (let round = 0; round < 3 && held.delivered.length < 6; round++) {
      held.finishAll();
      await waitFor(() => held.running > 0 || held.delivered.length === 6);
    }
    held.finishAll();
    await waitFor(() => held.delivered.length === 6);
    expect(held.mostAtOnce).toBe(4);
    expect([...held.delivered].sort()).toEqual([...backlog, fresh].map((e) => e.id).sort());
    await waitFor(async () => (await store.getEvent(fresh.id))?.deliveries[0]?.status === 'delivered');
  });
});
