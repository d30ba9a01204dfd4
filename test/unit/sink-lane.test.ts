import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { SinkLane } from '../../src/delivery/sink-lane.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { DeliveryError, type Sink } from '../../src/sinks/sink.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Envelope } from '../../src/twitch/envelope.js';
import { envelopeFrom } from '../support/envelopes.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { insertIfNew } from '../support/store-writes.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

/**
 * One sink's lane on a real SQLite store, on a clock the test moves: how many attempts run at once,
 * when a failed one is tried again, when it is dead, what a lease protects and when an attempt is
 * given up. "Waiting" for a retry is moving the clock and waking the lane, as its timer would.
 */

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const SINK = 'consumer';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freshStore(): SqliteStore {
  const dir = tempDir('sink-lane-');
  const store = SqliteStore.open(join(dir.path, 'relay.sqlite'));
  cleanups.push(dir.cleanup);
  cleanups.push(() => store.close());
  return store;
}

interface LaneSetup {
  concurrency?: number;
  scheduleSeconds?: number[];
  random?: () => number;
  leaseMs?: number;
  attemptTimeoutMs?: number;
  store?: SqliteStore;
  clock?: { now: number };
}

function laneFor(sink: Sink, setup: LaneSetup = {}) {
  const store = setup.store ?? freshStore();
  const clock = setup.clock ?? { now: T0 };
  const logs = captureLogs();
  const metrics = createMetrics();
  const lane = new SinkLane({
    sink,
    store,
    retry: { scheduleSeconds: setup.scheduleSeconds ?? [5, 30], jitter: 0.2 },
    concurrency: setup.concurrency ?? 1,
    leaseMs: setup.leaseMs ?? 60_000,
    attemptTimeoutMs: setup.attemptTimeoutMs ?? 30_000,
    pollMs: 60_000,
    logger: logs.logger,
    metrics,
    now: () => clock.now,
    random: setup.random ?? (() => 1), // the +20 % edge of the jitter
  });
  cleanups.push(() => lane.stop(1000));
  return {
    lane,
    store,
    clock,
    logs,
    /** Stores `count` events due at T0, each with one pending delivery to this sink. */
    async insert(count = 1): Promise<Envelope[]> {
      const envelopes = Array.from({ length: count }, () =>
        envelopeFrom(undefined, { receivedAt: new Date(T0).toISOString() }),
      );
      for (const envelope of envelopes) await insertIfNew(store, envelope, [sink.name]);
      return envelopes;
    },
    delivery: async (id: string) => (await store.getEvent(id))!.deliveries[0]!,
    attempts: async (id: string) => (await store.getEvent(id))!.attempts,
    /** Moves the clock and wakes the lane. */
    advanceTo(ms: number) {
      clock.now = ms;
      lane.wake();
    },
    counted: async (result: string) =>
      (await metrics.deliveries.get()).values.find(
        (value) => value.labels.sink === sink.name && value.labels.result === result,
      )?.value ?? 0,
  };
}

/** A sink whose deliveries stay open until the test lets them go; counts how many ran at once. */
function heldSink(name = SINK) {
  const open: (() => void)[] = [];
  const seen: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const sink: Sink = {
    name,
    deliver: (envelope) =>
      new Promise<void>((resolve) => {
        seen.push(envelope.id);
        mostAtOnce = Math.max(mostAtOnce, ++running);
        open.push(() => {
          running--;
          resolve();
        });
      }),
  };
  return { sink, open, seen, mostAtOnce: () => mostAtOnce };
}

/** A sink that answers each attempt with the next of `outcomes` (an error fails it), then succeeds. */
function scriptedSink(outcomes: (Error | undefined)[], name = SINK) {
  const calls: { id: string; at: number }[] = [];
  return {
    calls,
    sink: (clock: { now: number }): Sink => ({
      name,
      deliver: async (envelope) => {
        calls.push({ id: envelope.id, at: clock.now });
        const outcome = outcomes.shift();
        if (outcome) throw outcome;
      },
    }),
  };
}

describe('SinkLane: concurrency', () => {
  it('runs at most `concurrency` attempts at once and delivers every pending delivery once', async () => {
    const held = heldSink();
    const run = laneFor(held.sink, { concurrency: 2 });
    const envelopes = await run.insert(5);
    run.lane.wake();
    for (let remaining = 5; remaining > 0; remaining -= Math.min(2, remaining)) {
      await waitFor(
        () => held.open.length === Math.min(2, remaining),
        10_000,
        `${Math.min(2, remaining)} attempts`,
      );
      held.open.splice(0).forEach((release) => release());
    }
    await waitFor(async () => (await run.store.listEvents({ status: 'delivered' })).length === 5);
    expect(held.mostAtOnce()).toBe(2);
    expect([...held.seen].sort()).toEqual(envelopes.map((envelope) => envelope.id).sort());
    expect(await run.counted('delivered')).toBe(5);
  });
});

describe('SinkLane: retries', () => {
  it('retries on the schedule (5 s, 30 s with +20 % jitter) and marks the delivery dead after the last step', async () => {
    const clock = { now: T0 };
    const failing = scriptedSink([
      new DeliveryError('HTTP 500'),
      new DeliveryError('HTTP 500'),
      new DeliveryError('HTTP 502'),
    ]);
    const run = laneFor(failing.sink(clock), { clock });
    const [envelope] = await run.insert();
    const id = envelope!.id;
    run.lane.wake();

    await waitFor(async () => (await run.attempts(id)).length === 1);
    expect(await run.delivery(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect((await run.delivery(id)).nextAttemptAt!.getTime()).toBe(T0 + 6_000);

    run.advanceTo(T0 + 6_000);
    await waitFor(async () => (await run.attempts(id)).length === 2);
    expect((await run.delivery(id)).nextAttemptAt!.getTime()).toBe(T0 + 6_000 + 36_000);

    run.advanceTo(T0 + 42_000);
    await waitFor(async () => (await run.delivery(id)).status === 'dead');
    expect(await run.delivery(id)).toMatchObject({ attempts: 3, nextAttemptAt: null, lastError: 'HTTP 502' });
    expect(failing.calls.map((call) => call.at)).toEqual([T0, T0 + 6_000, T0 + 42_000]);
    expect(await run.counted('retry')).toBe(2);
    expect(await run.counted('dead')).toBe(1);
    const dead = run.logs.lines.find((line) => line.msg.startsWith('delivery dead'));
    expect(dead).toMatchObject({
      level: LEVEL.error,
      sink: SINK,
      messageId: id,
      msg: `delivery dead after 3 attempts; replay it with \`eventsub-relay events replay ${id}\``,
    });
  });

  it("the sink's Retry-After replaces the step, and its answer is kept with the attempt", async () => {
    const clock = { now: T0 };
    const limited = scriptedSink([
      new DeliveryError('HTTP 429', { retryAfterMs: 120_000, response: 'slow down' }),
    ]);
    const run = laneFor(limited.sink(clock), { clock });
    const [envelope] = await run.insert();
    run.lane.wake();
    await waitFor(async () => (await run.attempts(envelope!.id)).length === 1);
    expect((await run.delivery(envelope!.id)).nextAttemptAt!.getTime()).toBe(T0 + 120_000);
    expect((await run.attempts(envelope!.id))[0]).toMatchObject({ error: 'HTTP 429', response: 'slow down' });

    run.advanceTo(T0 + 120_000);
    await waitFor(async () => (await run.delivery(envelope!.id)).status === 'delivered');
  });

  it('a sink that is gone (410) disables the lane: the delivery stays pending, logged at error, no more slots', async () => {
    const clock = { now: T0 };
    const gone = scriptedSink([new DeliveryError('HTTP 410', { gone: true })]);
    const run = laneFor(gone.sink(clock), { clock });
    const [envelope] = await run.insert();
    run.lane.wake();
    await waitFor(async () => (await run.attempts(envelope!.id)).length === 1);
    expect(await run.delivery(envelope!.id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(run.lane.reserve()).toBe(false);
    expect(await run.counted('disabled')).toBe(1);
    expect(run.logs.lines.find((line) => line.msg.startsWith(`sink ${SINK} disabled`))).toMatchObject({
      level: LEVEL.error,
      msg: expect.stringContaining('fix the sink config and restart'),
    });
  });
});

describe('SinkLane: lease and deadline', () => {
  it('another lane takes a delivery over once its lease ended, not before; the late result of the first is dropped', async () => {
    const store = freshStore();
    const clock = { now: T0 };
    const held = heldSink();
    const first = laneFor(held.sink, { store, clock, leaseMs: 10_000, attemptTimeoutMs: 5_000 });
    const second = scriptedSink([]);
    const other = laneFor(second.sink(clock), { store, clock, leaseMs: 10_000, attemptTimeoutMs: 5_000 });
    const [envelope] = await first.insert();
    first.lane.wake();
    await waitFor(() => held.open.length === 1);
    // While the lease runs, the claim the other lane makes when woken gets nothing.
    expect(await store.claimDue(SINK, new Date(T0 + 9_999), 1, 10_000)).toEqual([]);

    other.advanceTo(T0 + 10_000);
    await waitFor(async () => (await first.delivery(envelope!.id)).status === 'delivered');
    expect(second.calls).toEqual([{ id: envelope!.id, at: T0 + 10_000 }]);

    held.open.splice(0).forEach((release) => release());
    await waitFor(() => first.logs.lines.some((line) => line.msg.includes('lost its claim')));
    expect(await first.counted('claim_lost')).toBe(1);
    expect(await first.counted('delivered')).toBe(0);
    expect((await first.attempts(envelope!.id)).map((attempt) => attempt.startedAt.getTime())).toEqual([
      T0 + 10_000,
    ]);
  });

  it('an attempt that never settles is aborted at its deadline and recorded as failed', async () => {
    let signal: AbortSignal | undefined;
    const hung: Sink = {
      name: SINK,
      deliver: (_, abort) => {
        signal = abort;
        return new Promise<void>(() => undefined);
      },
    };
    const run = laneFor(hung, { attemptTimeoutMs: 200 });
    const [envelope] = await run.insert();
    run.lane.wake();
    await waitFor(async () => (await run.attempts(envelope!.id)).length === 1);
    expect(await run.delivery(envelope!.id)).toMatchObject({
      status: 'pending',
      lastError: 'no result within 200 ms; attempt aborted',
    });
    expect(signal!.aborted).toBe(true);
  });

  it('stop waits for attempts in flight, then aborts them (recorded as failed) and takes no new slots', async () => {
    let called = false;
    const hung: Sink = {
      name: SINK,
      deliver: () => {
        called = true;
        return new Promise<void>(() => undefined);
      },
    };
    const run = laneFor(hung);
    const [envelope] = await run.insert();
    run.lane.wake();
    await waitFor(() => called);
    await run.lane.stop(100);
    expect(await run.delivery(envelope!.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'attempt aborted: the relay is stopping',
    });
    expect(run.lane.reserve()).toBe(false);
  });
});
