import { afterEach, describe, expect, it } from '@jest/globals';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { startCountingConsumer, type CountingConsumer } from '../support/counting-consumer.js';
import { createTempDatabase } from '../support/pg-database.js';
import {
  postToReplica,
  REPLICA_SECRET,
  startNginxInFront,
  startReplica,
  type Replica,
} from '../support/replicas.js';
import { followNotification, signedRequest, type SignedRequest } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

const EVENTS = 2000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh database, a counting consumer, replicas a and b on it, and the shipped nginx in front. */
async function setUp() {
  const db = await createTempDatabase();
  cleanups.push(() => db.drop());
  const consumer = await startCountingConsumer(TEST_WEBHOOK_SECRET);
  cleanups.push(() => consumer.close());
  const a = await startReplica('a', db.url, consumer, cleanups);
  const b = await startReplica('b', db.url, consumer, cleanups);
  const nginx = await startNginxInFront([a, b], cleanups);
  const store = await PostgresStore.open(db.url);
  cleanups.push(() => store.close());
  return { consumer, a, b, nginx, store };
}

/** Twitch's re-send of a message: same id and body, Retry header up by one, fresh timestamp and signature. */
const resend = (original: SignedRequest, payload: unknown, retry: number) =>
  signedRequest(REPLICA_SECRET, payload, { messageId: original.messageId, retry });

/** Resolves once every event has its delivery recorded as delivered (none pending or dead). */
async function allDelivered(store: PostgresStore, timeoutMs: number): Promise<void> {
  await waitFor(
    async () =>
      (await store.listEvents({ status: 'delivered', limit: EVENTS * 2 })).length === EVENTS &&
      (await store.listEvents({ status: 'pending', limit: 1 })).length === 0,
    timeoutMs,
    `${EVENTS} deliveries recorded as delivered`,
  );
}

const isAck = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;

describe('two replicas on one PostgreSQL database behind the shipped nginx config', () => {
  it(`${EVENTS} distinct events, each re-sent to the other replica: stored once, delivered exactly once`, async () => {
    const { consumer, a, b, nginx, store } = await setUp();
    // nginx/eventsub.conf as shipped: a POST goes to the other upstream only if it could not be sent.
    expect(nginx.site).toMatch(/^\s*proxy_next_upstream error timeout;$/m);
    expect(nginx.site).not.toMatch(/^\s*proxy_next_upstream[^;]*non_idempotent/m);
    expect(nginx.site).toContain(`server 127.0.0.1:${b.port} max_fails=1 fail_timeout=5s;`);
    const other = (replica: Replica) => (replica === a ? b : a);
    const statuses: (number | undefined)[] = [];
    /** Original to a, to b, or through nginx (which picks); then the re-send to whichever did not store it. */
    const sendTwice = async (i: number) => {
      const payload = followNotification();
      const original = signedRequest(REPLICA_SECRET, payload);
      const via = i % 3;
      statuses.push(
        via === 2 ? await nginx.post(original, i) : await postToReplica(via === 0 ? a : b, original),
      );
      let storedBy = via === 0 ? a : via === 1 ? b : undefined;
      if (!storedBy) {
        await waitFor(
          () => a.stored.has(original.messageId) || b.stored.has(original.messageId),
          10_000,
          `the replica nginx chose to log ${original.messageId}`,
        );
        storedBy = a.stored.has(original.messageId) ? a : b;
      }
      statuses.push(await postToReplica(other(storedBy), resend(original, payload, 1)));
      return original.messageId;
    };
    const ids: string[] = [];
    for (let start = 0; start < EVENTS; start += 100) {
      ids.push(...(await Promise.all(Array.from({ length: 100 }, (_, k) => sendTwice(start + k)))));
    }
    expect(statuses.filter((status) => status !== 204)).toEqual([]);
    // Each replica stored only what it got first; every re-send to the other one was a duplicate.
    expect(a.stored.size + b.stored.size).toBe(EVENTS);
    expect([...a.stored].filter((id) => b.stored.has(id))).toEqual([]);
    expect(await store.countEvents()).toBe(EVENTS);

    await allDelivered(store, 60_000);
    const counts = consumer.counts();
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(consumer.requests).toHaveLength(EVENTS);
    expect(consumer.rejected).toBe(0);
    const attempts = (await store.listEvents({ limit: EVENTS * 2 })).flatMap((e) =>
      e.deliveries.map((d) => d.attempts),
    );
    expect(attempts.filter((n) => n !== 1)).toEqual([]);
    // Both replicas' workers took part (disjoint claims via FOR UPDATE SKIP LOCKED).
    expect(new Set(consumer.requests.map((r) => r.path))).toEqual(new Set(['/a', '/b']));
  }, 180_000);

  it(`kill -9 of one replica mid-run through nginx: every acknowledged event is delivered, re-sent ones too`, async () => {
    const { consumer, a, nginx, store } = await setUp();
    const nonAcks: (number | undefined)[] = [];
    const notAcknowledgedFirst = new Set<string>();
    /** Through nginx until a 2xx, as Twitch retries what was not acknowledged. */
    const deliverLikeTwitch = async (i: number) => {
      const payload = followNotification();
      const original = signedRequest(REPLICA_SECRET, payload);
      let signed = original;
      for (let retry = 1; ; retry++) {
        const status = await nginx.post(signed, i);
        if (isAck(status)) return original.messageId;
        nonAcks.push(status);
        notAcknowledgedFirst.add(original.messageId);
        if (retry > 50)
          throw new Error(`no 2xx for ${original.messageId} after 50 tries: ${nonAcks.join(',')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        signed = resend(original, payload, retry);
      }
    };
    const acknowledged: string[] = [];
    for (let start = 0; start < EVENTS; start += 100) {
      const storedBefore = a.stored.size;
      const chunk = Promise.all(Array.from({ length: 100 }, (_, k) => deliverLikeTwitch(start + k)));
      if (start === EVENTS / 2) {
        // Mid-chunk: a has begun storing this chunk's events, more of them are on their way to it.
        await waitFor(() => a.stored.size >= storedBefore + 5, 20_000, 'a storing the chunk');
        a.process.child.kill('SIGKILL');
      }
      acknowledged.push(...(await chunk));
    }
    expect(await a.process.exited).toBe('SIGKILL');
    // Requests a had received when it died got 502: nginx passes a POST on to b only when it could not
    // be sent at all (connection refused), never once a replica may have it. Twitch's re-sends of
    // those, here too, were acknowledged by b.
    expect(notAcknowledgedFirst.size).toBeGreaterThan(0);
    expect(nonAcks.filter((status) => status !== 502 && status !== undefined)).toEqual([]);
    expect(acknowledged).toHaveLength(EVENTS);
    expect(await store.countEvents()).toBe(EVENTS);

    // Deliveries a had claimed when it died are taken over by b once their 60 s lease runs out.
    await allDelivered(store, 150_000);
    const counts = consumer.counts();
    expect([...counts.keys()].sort()).toEqual([...acknowledged].sort());
    expect([...notAcknowledgedFirst].filter((id) => !counts.has(id))).toEqual([]);
    expectOnlyLeaseTakeoverDuplicates(consumer, counts);
  }, 300_000);
});

/**
 * At-least-once, honestly: an event is delivered twice only when a had sent it (the consumer
 * verified it) but died before recording the success; b re-sends it after the lease. a holds at
 * most `concurrency` (16) deliveries at once, so at most 16 duplicates, each first from a, then b.
 */
function expectOnlyLeaseTakeoverDuplicates(consumer: CountingConsumer, counts: Map<string, number>): void {
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  expect(duplicated.length).toBeLessThanOrEqual(16);
  for (const id of duplicated) {
    expect(consumer.requests.filter((r) => r.id === id).map((r) => r.path)).toEqual(['/a', '/b']);
  }
}
