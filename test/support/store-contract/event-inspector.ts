import { beforeEach, expect, test } from '@jest/globals';
import type { Store } from '../../../src/store/store.js';
import { envelopeFrom } from '../envelopes.js';
import type { FreshStore } from '../store-factories.js';
import { insertIfNew } from '../store-writes.js';
import { attempt, daysAgo } from './helpers.js';

/**
 * The EventInspector role's part of the Store contract: what `events`, doctor and the backlog
 * metrics read.
 */
export function eventInspectorCases(current: () => FreshStore): void {
  let store: Store;
  beforeEach(() => {
    store = current().store;
  });

  test('listEvents filters by type glob, status, sink, since and limit, newest first', async () => {
    const follow = envelopeFrom(undefined, { receivedAt: daysAgo(2) });
    const online = envelopeFrom('notification.stream.online.v1.json');
    const raid = envelopeFrom('notification.channel.raid.v1.json');
    await insertIfNew(store, follow, ['http']);
    await insertIfNew(store, online, ['log']);
    await insertIfNew(store, raid, ['http']);
    const [claimed] = await store.claimDue('log', new Date(), 1, 1000);
    await store.recordFailure(claimed!, attempt('boom'), null);

    const ids = async (query: Parameters<Store['listEvents']>[0]) =>
      (await store.listEvents(query)).map((e) => e.id);
    expect(await ids({})).toEqual([raid.id, online.id, follow.id]);
    expect(await ids({ type: 'channel.*' })).toEqual([raid.id, follow.id]);
    expect(await ids({ type: 'channel_follow' })).toEqual([]);
    expect(await ids({ status: 'dead' })).toEqual([online.id]);
    expect(await ids({ sink: 'http', status: 'pending' })).toEqual([raid.id, follow.id]);
    expect(await ids({ since: new Date(Date.now() - 86_400_000) })).toEqual([raid.id, online.id]);
    expect(await ids({ limit: 1 })).toEqual([raid.id]);
    const [summary] = await store.listEvents({ status: 'dead' });
    expect(summary).toMatchObject({ type: 'stream.online', messageType: 'notification' });
    expect(summary?.deliveries).toEqual([expect.objectContaining({ sink: 'log', status: 'dead' })]);
  });

  test('listSinks names every sink with deliveries, once, sorted', async () => {
    expect(await store.listSinks()).toEqual([]);
    await insertIfNew(store, envelopeFrom(), ['log', 'http']);
    await insertIfNew(store, envelopeFrom(), ['http', 'archive']);
    expect(await store.listSinks()).toEqual(['archive', 'http', 'log']);
  });

  test('deliveryBacklog counts pending and dead per sink and dates the oldest pending event', async () => {
    const old = envelopeFrom('notification.channel.follow.v2.json', { receivedAt: daysAgo(2) });
    const recent = envelopeFrom();
    await insertIfNew(store, old, ['http', 'log']);
    await insertIfNew(store, recent, ['http']);
    expect(await store.deliveryBacklog(['http', 'log', 'none'])).toEqual([
      { sink: 'http', pending: 2, dead: 0, oldestPendingReceivedAt: new Date(old.receivedAt) },
      { sink: 'log', pending: 1, dead: 0, oldestPendingReceivedAt: new Date(old.receivedAt) },
      { sink: 'none', pending: 0, dead: 0, oldestPendingReceivedAt: null },
    ]);
    // The old event's http delivery dies: the oldest pending one is now the recent event's.
    const [claim] = await store.claimDue('http', new Date(Date.now() + 1000), 1, 60_000);
    expect(claim!.envelope.id).toBe(old.id);
    await store.recordFailure(claim!, attempt('HTTP 500'), null);
    const [http] = await store.deliveryBacklog(['http']);
    expect(http).toEqual({
      sink: 'http',
      pending: 1,
      dead: 1,
      oldestPendingReceivedAt: new Date(recent.receivedAt),
    });
    expect(await store.deliveryBacklog([])).toEqual([]);
  });

  test("a failed attempt keeps the destination's answer; one without an answer has none", async () => {
    const envelope = envelopeFrom();
    await insertIfNew(store, envelope, ['http']);
    const due = new Date(Date.now() + 1000);
    const [first] = await store.claimDue('http', due, 1, 60_000);
    await store.recordFailure(first!, { ...attempt('HTTP 401'), response: 'bad signature\n' }, new Date());
    const [second] = await store.claimDue('http', new Date(Date.now() + 2000), 1, 60_000);
    await store.recordFailure(second!, attempt('timeout after 10000 ms'), new Date());
    const attempts = (await store.getEvent(envelope.id))!.attempts;
    expect(attempts.map((a) => [a.error, a.response])).toEqual([
      ['HTTP 401', 'bad signature\n'],
      ['timeout after 10000 ms', undefined],
    ]);
  });
}
