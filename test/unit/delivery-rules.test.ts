import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, nextAttemptAt } from '../../src/delivery/retry-schedule.js';
import { compileFilter } from '../../src/twitch/event-filter.js';
import { parseRetryAfter } from '../../src/sinks/http.js';
import type { Envelope } from '../../src/twitch/envelope.js';

const policy = { scheduleSeconds: DEFAULT_RETRY_SCHEDULE_SECONDS, jitter: 0.2 };

describe('retry schedule', () => {
  it('defaults to 5 s … 12 h, about 27 hours in all', () => {
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS).toEqual([5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200]);
    const total = DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0) / 3600;
    expect(total).toBeGreaterThan(26);
    expect(total).toBeLessThan(28);
  });

  it('applies ±20 % jitter around each step', () => {
    expect(nextAttemptAt(policy, 1, 0, () => 0)!.getTime()).toBe(4000);
    expect(nextAttemptAt(policy, 1, 0, () => 0.5)!.getTime()).toBe(5000);
    expect(nextAttemptAt(policy, 2, 0, () => 1)!.getTime()).toBe(36000);
  });

  it('is used up after the last step: the delivery is dead', () => {
    expect(nextAttemptAt(policy, 10, 0, () => 0.5)!.getTime()).toBe(43_200_000);
    expect(nextAttemptAt(policy, 11, 0)).toBeNull();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('sink filters', () => {
  const envelope = (type: string, messageType: Envelope['messageType'], broadcaster = '1337'): Envelope => ({
    id: 'x',
    type,
    messageType,
    version: '1',
    timestamp: '',
    retry: 0,
    subscription: { id: 's', type, version: '1', condition: { broadcaster_user_id: broadcaster } },
    event: null,
    receivedAt: '',
  });

  it('admits everything when empty', () => {
    expect(compileFilter()(envelope('anything', 'revocation'))).toBe(true);
  });

  it('matches type globs', () => {
    const admits = compileFilter({ types: ['channel.*', 'stream.online'] });
    expect(admits(envelope('channel.follow', 'notification'))).toBe(true);
    expect(admits(envelope('channel.chat.message', 'notification'))).toBe(true);
    expect(admits(envelope('stream.online', 'notification'))).toBe(true);
    expect(admits(envelope('stream.offline', 'notification'))).toBe(false);
    expect(admits(envelope('channelXfollow', 'notification'))).toBe(false);
  });

  it('matches message types and broadcasters (raids by to_broadcaster_user_id)', () => {
    const admits = compileFilter({ messageTypes: ['notification'], broadcasters: ['1337'] });
    expect(admits(envelope('stream.online', 'notification'))).toBe(true);
    expect(admits(envelope('stream.online', 'revocation'))).toBe(false);
    expect(admits(envelope('stream.online', 'notification', '42'))).toBe(false);
    const raid = envelope('channel.raid', 'notification');
    raid.subscription.condition = { to_broadcaster_user_id: '1337' };
    expect(admits(raid)).toBe(true);
  });
});
