import { afterEach, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/store/store.js';
import { envelopeFrom } from '../support/envelopes.js';
import { startRelayProcess } from '../support/relay-process.js';
import { STORE_FACTORIES } from '../support/store-factories.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { insertIfNew } from '../support/store-writes.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Stores an event received `daysAgo` days ago with one delivery to `sink`, left in `status`. */
async function seed(store: Store, daysAgo: number, status: 'delivered' | 'dead' | 'pending' | 'no sink') {
  const receivedAt = new Date(Date.now() - daysAgo * DAY_MS);
  const envelope = envelopeFrom(undefined, { receivedAt: receivedAt.toISOString() });
  await insertIfNew(store, envelope, status === 'no sink' ? [] : ['consumer']);
  if (status === 'delivered' || status === 'dead') {
    const [claimed] = await store.claimDue('consumer', new Date(), 1, 60_000);
    const attempt = { startedAt: receivedAt, finishedAt: receivedAt };
    if (status === 'delivered') await store.recordSuccess(claimed!, attempt);
    else await store.recordFailure(claimed!, { ...attempt, error: 'HTTP 500' }, null);
  }
  return envelope.id;
}

describe.each(STORE_FACTORIES)('retention in a running relay on %s', (_name, fresh) => {
  it('RETENTION_DAYS=7: old delivered events (more than one batch) and old dead ones go; pending and recent stay', async () => {
    const { store, url, dispose } = await fresh();
    cleanups.push(dispose);
    const oldDelivered: string[] = [];
    for (let i = 0; i < 620; i++) oldDelivered.push(await seed(store, 30, 'delivered')); // > 500, one batch
    const oldWithoutSink = await seed(store, 30, 'no sink');
    const oldDead = await seed(store, 30, 'dead');
    const recentDelivered = await seed(store, 2, 'delivered');
    const recentDead = await seed(store, 2, 'dead');
    const oldPending = await seed(store, 30, 'pending'); // last: seed() claims the oldest due delivery
    expect(await store.countEvents()).toBe(625);

    const dir = tempDir();
    cleanups.push(dir.cleanup);
    // No sink named "consumer" here: the old pending delivery stays pending, as for a sink that is gone.
    const relay = await startRelayProcess({
      EVENTSUB_SECRET: 'retention-relay-secret',
      DATA_DIR: dir.path,
      STORE_URL: url,
      RETENTION_DAYS: '7',
    });
    cleanups.push(async () => {
      relay.child.kill('SIGTERM');
      await relay.exited;
    });

    await waitFor(
      () => relay.output().includes('retention: deleted old events'),
      15_000,
      'the retention pass',
    );
    const line = relay
      .output()
      .split('\n')
      .find((l) => l.includes('retention: deleted old events'))!;
    expect(JSON.parse(line)).toMatchObject({ delivered: 621, dead: 1 });
    expect(await store.countEvents()).toBe(3);
    for (const id of [...oldDelivered.slice(0, 3), oldWithoutSink, oldDead]) {
      expect(await store.getEvent(id)).toBeNull();
    }
    expect((await store.getEvent(oldPending))?.deliveries[0]?.status).toBe('pending');
    expect((await store.getEvent(recentDelivered))?.deliveries[0]?.status).toBe('delivered');
    expect((await store.getEvent(recentDead))?.deliveries[0]?.status).toBe('dead');
  });
});
