import { describe, expect, it } from '@jest/globals';
import { planSync } from '../../src/subscriptions/sync-plan.js';
import type { RemoteSubscription } from '../../src/subscriptions/twitch-api.js';

const OURS = 'https://relay.example.com/callback';
const remote = (id: string, over: Partial<RemoteSubscription> = {}): RemoteSubscription => ({
  id,
  status: 'enabled',
  type: 'stream.online',
  version: '1',
  condition: { broadcaster_user_id: '1' },
  callback: OURS,
  createdAt: '2026-01-01T00:00:00Z',
  cost: 0,
  ...over,
});
const wanted = { type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1' } };
const options = { callback: OURS, prune: false, rotateSecret: false };

describe('planSync', () => {
  it('creates what is missing and keeps healthy matches regardless of condition key order', () => {
    expect(planSync([wanted], [], options).map((s) => s.action)).toEqual(['create']);
    const follow = {
      type: 'channel.follow',
      version: '2',
      condition: { moderator_user_id: '1', broadcaster_user_id: '1' },
    };
    const existing = remote('a', {
      type: 'channel.follow',
      version: '2',
      condition: { broadcaster_user_id: '1', moderator_user_id: '1' },
    });
    expect(planSync([follow], [existing], options).map((s) => s.action)).toEqual(['keep']);
  });

  it('recreates failed, revoked or other-version ones', () => {
    for (const over of [
      { status: 'webhook_callback_verification_failed' },
      { status: 'notification_failures_exceeded' },
      { version: '2' },
    ]) {
      expect(planSync([wanted], [remote('a', over)], options)[0]).toMatchObject({ action: 'recreate' });
    }
  });

  it('never touches subscriptions of another callback, even with prune', () => {
    const foreign = remote('x', { callback: 'https://other.example.com/callback' });
    const steps = planSync([wanted], [foreign], { ...options, prune: true });
    expect(steps.map((s) => s.action)).toEqual(['create']);
  });

  it('prune deletes our extras, including duplicates; rotate-secret recreates ours', () => {
    const steps = planSync([wanted], [remote('a'), remote('b'), remote('c', { type: 'stream.offline' })], {
      ...options,
      prune: true,
    });
    expect(steps.map((s) => `${s.action}:${'existing' in s ? s.existing.id : ''}`)).toEqual([
      'keep:a',
      'delete:b',
      'delete:c',
    ]);
    expect(planSync([wanted], [remote('a')], { ...options, rotateSecret: true })[0]).toMatchObject({
      action: 'recreate',
      reason: 'secret rotation',
    });
  });
});
