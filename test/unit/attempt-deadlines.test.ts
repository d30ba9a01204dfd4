import { describe, expect, it } from '@jest/globals';
import { AttemptDeadlines } from '../../src/delivery/attempt-deadline.js';
import { DeliveryError } from '../../src/sinks/sink.js';

describe('AttemptDeadlines', () => {
  it('passes results and failures through, and gives attempts of one slice the same signal', async () => {
    const deadlines = new AttemptDeadlines(10_000, new AbortController().signal, 8);
    const signals: AbortSignal[] = [];
    const ok = deadlines.run(async (signal) => (signals.push(signal), 'done'));
    const failed = deadlines.run(async (signal) => {
      signals.push(signal);
      throw new Error('consumer said no');
    });
    await expect(ok).resolves.toBe('done');
    await expect(failed).rejects.toThrow('consumer said no');
    expect(signals[0]).toBe(signals[1]);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('rejects an attempt that never settles once its deadline has passed, and aborts its signal', async () => {
    const deadlines = new AttemptDeadlines(50, new AbortController().signal, 8);
    let seen: AbortSignal | undefined;
    const hung = deadlines.run((signal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    });
    await expect(hung).rejects.toThrow(new DeliveryError('no result within 50 ms; attempt aborted'));
    expect(seen?.aborted).toBe(true);
  });

  it('stopping rejects every attempt still running, and refuses new ones', async () => {
    const stop = new AbortController();
    const deadlines = new AttemptDeadlines(60_000, stop.signal, 8);
    const hung = deadlines.run(() => new Promise<never>(() => undefined));
    stop.abort();
    await expect(hung).rejects.toThrow('attempt aborted: the relay is stopping');
    await expect(deadlines.run(async () => 'late')).rejects.toThrow('the relay is stopping');
  });
});
