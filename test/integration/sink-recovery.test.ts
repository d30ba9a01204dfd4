import { afterEach, describe, expect, it } from '@jest/globals';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { follow, postEvent } from '../support/stream-relay.js';
import { startSwitchableConsumer } from '../support/switchable-consumer.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a failing sink that answers 2xx again', () => {
  it('gets its pending backlog at once and in order, not at each delivery’s next retry step', async () => {
    const consumer = await startSwitchableConsumer(false);
    cleanups.push(() => consumer.close());
    const files: (() => void)[] = [];
    cleanups.push(() => files.forEach((f) => f()));
    // Two quick failures, then a 10-minute step: without the recovery rule the backlog waits 10 minutes.
    const configFile = writeSinksConfig(
      [
        {
          name: 'bot',
          kind: 'http',
          url: consumer.url,
          secret: TEST_WEBHOOK_SECRET,
          concurrency: 1,
          retry: { schedule: [0.05, 600, 600], jitter: 0 },
        },
      ],
      files,
    );
    const relay = await startTestRelay({ CONFIG_FILE: configFile }, { captureLogs: true });
    cleanups.push(() => relay.close());

    const backlog: string[] = [];
    for (let i = 1; i <= 5; i++) backlog.push(await postEvent(relay.url, TEST_SECRET, follow(String(i))));
    // Each failed twice and now waits for its 600 s step.
    await waitFor(() => consumer.requests.length === 10, 15_000, 'two failed attempts of each');
    await waitFor(
      async () => {
        const events = await relay.store.listEvents({ sink: 'bot', status: 'pending', limit: 10 });
        const due = await relay.store.nextDueAt('bot', new Date());
        return events.length === 5 && due !== null && due.getTime() > Date.now() + 500_000;
      },
      15_000,
      'five deliveries waiting for their 600 s retry step',
    );
    expect(consumer.accepted()).toEqual([]);
    const failuresBefore = consumer.requests.length;
    expect(failuresBefore).toBe(10);

    consumer.up = true;
    const trigger = await postEvent(relay.url, TEST_SECRET, follow('6'));
    await waitFor(() => consumer.accepted().length === 6, 15_000, 'the backlog delivered');
    // The new event reached the consumer first (it found it up); then the backlog, oldest first.
    expect(consumer.accepted()).toEqual([trigger, ...backlog]);
    expect(consumer.requests.slice(failuresBefore).map((r) => r.status)).toEqual([
      204, 204, 204, 204, 204, 204,
    ]);
    expect(await relay.store.listEvents({ sink: 'bot', status: 'pending', limit: 10 })).toEqual([]);
    expect(relay.logText()).toContain(
      'sink bot answers again; its pending deliveries are sent now, in order',
    );
  }, 30_000);
});
