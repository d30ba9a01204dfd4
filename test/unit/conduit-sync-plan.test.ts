import { describe, expect, it } from '@jest/globals';
import {
  ConduitLimitError,
  checkCost,
  planConduit,
  planConduitSubscriptions,
} from '../../src/subscriptions/conduit-sync.js';
import type { RemoteSubscription } from '../../src/subscriptions/twitch-api.js';

const conduit = (id: string, shardCount: number) => ({ id, shardCount });
const remote = (
  id: string,
  conduitId: string,
  broadcaster: string,
  status = 'enabled',
): RemoteSubscription => ({
  id,
  status,
  type: 'stream.online',
  version: '1',
  condition: { broadcaster_user_id: broadcaster },
  callback: undefined,
  createdAt: '2026-12-06T00:00:00Z',
  cost: 0,
  method: 'conduit',
  conduitId,
});
const want = (broadcaster: string) => ({
  type: 'stream.online',
  version: '1',
  condition: { broadcaster_user_id: broadcaster },
});

describe('planning a conduit', () => {
  it('creates one when none is known, keeps or grows a known one, never shrinks it', () => {
    expect(planConduit({ shards: 2 }, undefined, [])).toEqual({ action: 'create', shards: 2 });
    expect(planConduit({ shards: 2 }, 'c1', [conduit('c1', 2)])).toEqual({
      action: 'keep',
      conduit: conduit('c1', 2),
    });
    expect(planConduit({ shards: 4 }, 'c1', [conduit('c1', 2)])).toEqual({
      action: 'grow',
      conduit: conduit('c1', 2),
      shards: 4,
    });
    expect(planConduit({ shards: 1 }, 'c1', [conduit('c1', 3)]).action).toBe('keep');
  });

  it('refuses a 6th conduit and a known id Twitch does not list', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((id) => conduit(id, 1));
    expect(() => planConduit({ shards: 1 }, undefined, five)).toThrow(ConduitLimitError);
    expect(() => planConduit({ shards: 1 }, undefined, five)).toThrow('a, b, c, d, e');
    expect(() => planConduit({ shards: 1 }, 'gone', five)).toThrow(
      'conduit gone is not a conduit of this application',
    );
  });
});

describe("planning a conduit's subscriptions", () => {
  it('keeps what is on the conduit, creates the rest, recreates a revoked one, prunes only that conduit', () => {
    const on = [
      remote('s1', 'c1', '1'),
      remote('s2', 'c1', '2', 'authorization_revoked'),
      remote('s3', 'c1', '9'),
    ];
    const elsewhere = [remote('s4', 'c2', '3'), remote('s5', 'c2', '9')];
    const steps = planConduitSubscriptions(
      [want('1'), want('2'), want('3')],
      [...on, ...elsewhere],
      'c1',
      true,
    );
    expect(
      steps.map((s) => [
        s.action,
        s.action === 'delete' ? s.existing.id : s.wanted.condition.broadcaster_user_id,
      ]),
    ).toEqual([
      ['keep', '1'],
      ['recreate', '2'],
      ['create', '3'],
      ['delete', 's3'],
    ]);
    // A conduit not created yet has nothing on it: everything is created.
    expect(planConduitSubscriptions([want('1')], on, undefined, true).map((s) => s.action)).toEqual([
      'create',
    ]);
  });

  it('refuses creates the cost budget could not pay', () => {
    const steps = planConduitSubscriptions([want('1'), want('2')], [], 'c1', false);
    expect(() => checkCost(steps, { totalCost: 9_999, maxTotalCost: 10_000 })).toThrow(
      "2 subscription(s) to create, but only 1 of this application's max_total_cost 10000 is left",
    );
    expect(() => checkCost(steps, { totalCost: 9_998, maxTotalCost: 10_000 })).not.toThrow();
  });
});
