import { afterEach, describe, expect, it } from '@jest/globals';
import { createIntake, type StoredEvent } from '../../src/delivery/intake.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Sink } from '../../src/sinks/sink.js';
import type { EventLog } from '../../src/store/store.js';
import type { Envelope } from '../../src/twitch/envelope.js';
import { envelopeFrom } from '../support/envelopes.js';
import { FILE_SINK, startIntakeRig, type IntakeRig } from '../support/intake-rig.js';
import { LEVEL } from '../support/log-capture.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The intake on a real SQLite store with a real file sink: one write per event (the event and its
 * deliveries), the answer only once that write is durable, sinks and listeners only after it.
 */

let rig: IntakeRig;
afterEach(() => rig?.close());

/** A sink that keeps each delivery open until the test lets it go, and tells what it has seen. */
function heldSink(name = 'held') {
  const open: (() => void)[] = [];
  const seen: string[] = [];
  const sink: Sink = {
    name,
    deliver: (envelope: Envelope) =>
      new Promise<void>((resolve) => {
        seen.push(envelope.id);
        open.push(resolve);
      }),
  };
  return { sink, seen, open, releaseAll: () => open.splice(0).forEach((release) => release()) };
}

describe('createIntake', () => {
  it('stores the event with one delivery per routed sink, answers "stored", then the sink gets it', async () => {
    rig = await startIntakeRig();
    const envelope = envelopeFrom();
    expect(await rig.intake.accept(envelope)).toBe('stored');
    const stored = await rig.store.getEvent(envelope.id);
    expect(stored!.envelope).toMatchObject({
      id: envelope.id,
      type: 'channel.follow',
      event: envelope.event,
    });
    expect(stored!.deliveries.map((delivery) => delivery.sink)).toEqual([FILE_SINK]);
    await waitFor(() => rig.delivered().length === 1);
    expect(rig.delivered()[0]).toMatchObject({ id: envelope.id, event: envelope.event });
    await waitFor(async () => (await rig.store.getEvent(envelope.id))!.deliveries[0]!.status === 'delivered');
  });

  it('answers before any sink is called: attempts start on the next turn of the event loop', async () => {
    const held = heldSink();
    rig = await startIntakeRig({ sinks: [held.sink], route: () => ['held'] });
    const envelope = envelopeFrom();
    expect(await rig.intake.accept(envelope)).toBe('stored');
    expect(held.seen).toEqual([]);
    await waitFor(() => held.seen.length === 1);
    held.releaseAll();
  });

  it('a duplicate message id: "duplicate", no new event or delivery, delivered once', async () => {
    rig = await startIntakeRig();
    const envelope = envelopeFrom();
    expect(await rig.intake.accept(envelope)).toBe('stored');
    expect(await rig.intake.accept({ ...envelope, receivedAt: new Date().toISOString() })).toBe('duplicate');
    const next = envelopeFrom();
    await rig.intake.accept(next);
    await waitFor(() => rig.delivered().length === 2);
    expect(rig.delivered().map((line) => line.id)).toEqual([envelope.id, next.id]);
    expect((await rig.store.getEvent(envelope.id))!.deliveries).toHaveLength(1);
    expect(await rig.store.listEvents({})).toHaveLength(2);
  });

  it('routes: only the sinks the route names get a delivery; no sink at all still stores the event', async () => {
    const held = heldSink();
    rig = await startIntakeRig({
      sinks: [held.sink],
      route: (envelope) => (envelope.type === 'channel.follow' ? [FILE_SINK] : []),
    });
    const follow = envelopeFrom();
    const online = envelopeFrom('notification.stream.online.v1.json');
    expect(await rig.intake.accept(online)).toBe('stored');
    expect(await rig.intake.accept(follow)).toBe('stored');
    expect((await rig.store.getEvent(online.id))!.deliveries).toEqual([]);
    expect((await rig.store.getEvent(follow.id))!.deliveries.map((delivery) => delivery.sink)).toEqual([
      FILE_SINK,
    ]);
    await waitFor(() => rig.delivered().length === 1);
    expect(rig.delivered()[0]!.id).toBe(follow.id);
    expect(held.seen).toEqual([]);
  });

  it('a lane with no free slot: the delivery is stored unclaimed and delivered once a slot frees', async () => {
    const held = heldSink();
    rig = await startIntakeRig({ sinks: [held.sink], route: () => ['held'], concurrency: 1 });
    const envelopes = [envelopeFrom(), envelopeFrom(), envelopeFrom()];
    for (const envelope of envelopes) expect(await rig.intake.accept(envelope)).toBe('stored');
    await waitFor(() => held.seen.length === 1);
    expect(held.open).toHaveLength(1);
    for (let done = 1; done <= envelopes.length; done++) {
      await waitFor(() => held.open.length === 1, 10_000, `delivery ${done} to start`);
      held.releaseAll();
    }
    await waitFor(
      async () => (await rig.store.listEvents({ status: 'delivered' })).length === envelopes.length,
    );
    expect(held.seen).toEqual(envelopes.map((envelope) => envelope.id));
  });

  it('listeners hear each stored event once, with its seq, after the answer; a failing one is logged and the rest run', async () => {
    rig = await startIntakeRig();
    const heard: StoredEvent[] = [];
    rig.intake.onStored(() => {
      throw new Error('listener broke');
    });
    rig.intake.onStored((event) => heard.push(event));
    const first = envelopeFrom();
    const second = envelopeFrom();
    await rig.intake.accept(first);
    expect(heard).toEqual([]);
    await rig.intake.accept(first); // a duplicate: nobody hears it
    await rig.intake.accept(second);
    await waitFor(() => heard.length === 2);
    expect(heard.map((event) => event.envelope.id)).toEqual([first.id, second.id]);
    expect(heard[1]!.seq).toBeGreaterThan(heard[0]!.seq);
    const failures = rig.logs().filter((line) => line.msg === 'a stored-event listener failed');
    expect(failures.map((line) => [line.level, line.messageId])).toEqual([
      [LEVEL.error, first.id],
      [LEVEL.error, second.id],
    ]);
  });

  it('a store that cannot take the write: accept rejects, nothing is delivered, and the lane slot is freed', async () => {
    rig = await startIntakeRig({ concurrency: 1 });
    let failNext = true;
    const flaky: EventLog = {
      sharedByReplicas: false,
      readEventsAfter: (afterSeq, limit) => rig.store.readEventsAfter(afterSeq, limit),
      latestSeq: () => rig.store.latestSeq(),
      insertEvent: (envelope, deliveries) => {
        if (!failNext) return rig.store.insertEvent(envelope, deliveries);
        failNext = false;
        return Promise.reject(new Error('SQLITE_FULL: database or disk is full'));
      },
    };
    const intake = createIntake({
      store: flaky,
      route: () => [FILE_SINK],
      worker: rig.worker,
      logger: createLogger('silent'),
    });
    const lost = envelopeFrom();
    await expect(intake.accept(lost)).rejects.toThrow('SQLITE_FULL');
    expect(await rig.store.getEvent(lost.id)).toBeNull();
    const next = envelopeFrom();
    expect(await intake.accept(next)).toBe('stored');
    await waitFor(() => rig.delivered().length === 1);
    expect(rig.delivered().map((line) => line.id)).toEqual([next.id]);
  });
});
