import { describe, expect, it } from '@jest/globals';
import { MinuteRing } from '../../src/observability/minute-ring.js';

const T0 = Date.parse('2026-12-06T12:00:00.000Z');

describe('MinuteRing', () => {
  it('counts stored events and ack latency per minute; duplicates count for latency only', () => {
    let now = T0 + 5_000;
    const ring = new MinuteRing(60, () => now);
    ring.recordAck(2, true);
    ring.recordAck(4, true);
    ring.recordAck(9, false);
    now = T0 + 65_000;
    ring.recordAck(1, true);
    ring.recordBacklog(7);
    const figures = ring.figures();
    expect(figures).toHaveLength(60);
    expect(figures.at(-2)).toEqual({
      minute: '2026-12-06T12:00:00.000Z',
      events: 2,
      ackMsAverage: 5,
      ackMsMax: 9,
      backlog: null,
    });
    expect(figures.at(-1)).toEqual({
      minute: '2026-12-06T12:01:00.000Z',
      events: 1,
      ackMsAverage: 1,
      ackMsMax: 1,
      backlog: 7,
    });
    expect(figures[0]).toEqual({
      minute: '2026-12-06T11:02:00.000Z',
      events: 0,
      ackMsAverage: null,
      ackMsMax: null,
      backlog: null,
    });
  });

  it('forgets a minute once it is more than the ring old, and reuses its slot cleanly', () => {
    let now = T0;
    const ring = new MinuteRing(3, () => now);
    ring.recordAck(3, true);
    now = T0 + 3 * 60_000; // lands on the same slot as T0
    expect(ring.figures().map((f) => f.events)).toEqual([0, 0, 0]);
    ring.recordAck(1, true);
    expect(ring.figures().map((f) => f.events)).toEqual([0, 0, 1]);
    expect(ring.figures().at(-1)!.ackMsMax).toBe(1);
  });
});
