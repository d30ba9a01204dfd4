import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { AcceptOutcome, Intake } from '../../src/intake/port.js';
import { IntakeFeeder } from '../../src/transports/websocket/intake-feeder.js';
import { captureLogs } from '../support/log-capture.js';
import { envelopeFrom } from '../support/envelopes.js';

/** An intake whose store fails the first `failures` writes (e.g. the disk was full for a moment). */
function flakyIntake(failures: number): Intake & { stored: string[] } {
  const stored: string[] = [];
  let left = failures;
  return {
    stored,
    async accept(envelope) {
      if (left-- > 0) throw new Error('SQLITE_FULL: database or disk is full');
      stored.push(envelope.id);
      return 'stored';
    },
  };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('IntakeFeeder: Twitch does not resend WebSocket events, so a failed write is tried again', () => {
  it('stores the event once the store takes writes again, and drain() waits for it', async () => {
    const intake = flakyIntake(2);
    const logs = captureLogs('debug');
    const outcomes: Array<AcceptOutcome | 'lost'> = [];
    const feeder = new IntakeFeeder(intake, logs.logger, (_e, outcome) => outcomes.push(outcome));
    const envelope = envelopeFrom();
    feeder.feed(envelope);
    await feeder.drain();
    expect(intake.stored).toEqual([envelope.id]);
    expect(outcomes).toEqual(['stored']);
    expect(logs.text()).toContain('the store could not take channel.follow');
  });

  it('gives up after about eight seconds of failures: logged at error with the message id', async () => {
    jest.useFakeTimers();
    const intake = flakyIntake(100);
    const logs = captureLogs('debug');
    const outcomes: Array<AcceptOutcome | 'lost'> = [];
    const feeder = new IntakeFeeder(intake, logs.logger, (_e, outcome) => outcomes.push(outcome));
    const envelope = envelopeFrom();
    feeder.feed(envelope);
    const drained = feeder.drain();
    await jest.advanceTimersByTimeAsync(7_600);
    await drained;
    expect(outcomes).toEqual(['lost']);
    const line = logs.lines.find((l) => l.level === 50)!;
    expect(line.msg).toContain(`message ${envelope.id}) after 5 tries: the event is lost`);
    expect(intake.stored).toEqual([]);
  });
});
