import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ReconnectBackoff } from '../../src/transports/websocket/backoff.js';
import { KeepaliveWatchdog } from '../../src/transports/websocket/keepalive-watchdog.js';

describe('reconnect backoff (full jitter)', () => {
  it('each delay lies between 0 and base × 2^failures, capped; a success starts again', () => {
    const highest = new ReconnectBackoff(100, 1000, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6].map(() => highest.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(highest.attempts).toBe(6);
    highest.reset();
    expect(highest.next()).toBe(100);
    const lowest = new ReconnectBackoff(100, 1000, () => 0);
    expect(lowest.next()).toBe(0);
  });

  it('with Math.random the delays spread out instead of repeating', () => {
    const delays = Array.from({ length: 50 }, () => new ReconnectBackoff(1000).next());
    expect(new Set(delays).size).toBeGreaterThan(10);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
  });
});

describe('keepalive watchdog', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('fires after the window plus 20 % grace (at least 1 s) of silence; each message counts again', () => {
    const silences: number[] = [];
    const watchdog = new KeepaliveWatchdog((ms) => silences.push(ms));
    watchdog.start(10);
    jest.advanceTimersByTime(11_000);
    watchdog.touch();
    jest.advanceTimersByTime(11_999);
    expect(silences).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(silences).toEqual([12_000]);
    watchdog.start(1);
    jest.advanceTimersByTime(2_000);
    expect(silences).toEqual([12_000, 2_000]);
  });

  it('stopped, it stays quiet', () => {
    const silences: number[] = [];
    const watchdog = new KeepaliveWatchdog((ms) => silences.push(ms));
    watchdog.start(10);
    watchdog.stop();
    watchdog.touch();
    jest.advanceTimersByTime(60_000);
    expect(silences).toEqual([]);
  });
});
