import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeTwitch } from '../support/fake-twitch.js';
import { FakeEventSubWs } from '../support/fake-eventsub-ws.js';
import { CONDUIT_ORPHAN_MS, channelOf, stableHash } from '../support/fake-twitch-conduits.js';
import { helix, notificationsOf, openSession, type RawSession } from '../support/fake-conduit-client.js';
import { waitFor } from '../support/wait-for.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The fake Twitch is the relay's only peer for conduits (the Twitch CLI's mock server has none):
// these tests hold it to what Twitch documents (handling-conduit-events and the Conduits API reference).

let twitch: FakeTwitch;
let ws: FakeEventSubWs;
const sessions: RawSession[] = [];

beforeEach(async () => {
  twitch = await new FakeTwitch({ callbacks: false }).start();
  ws = await new FakeEventSubWs(twitch).start();
});
afterEach(async () => {
  for (const s of sessions.splice(0)) s.socket.terminate();
  await ws.stop();
  await twitch.stop();
});

async function session(): Promise<RawSession> {
  const s = await openSession(ws.url);
  sessions.push(s);
  return s;
}

async function conduitWith(shards: number): Promise<string> {
  const created = await helix(twitch, 'POST', '/mock/eventsub/conduits', { shard_count: shards });
  expect(created.status).toBe(200);
  return (created.body.data as Array<{ id: string }>)[0]!.id;
}

async function assign(conduitId: string, shards: Array<[string, RawSession]>) {
  return helix(twitch, 'PATCH', '/mock/eventsub/conduits/shards', {
    conduit_id: conduitId,
    shards: shards.map(([id, s]) => ({ id, transport: { method: 'websocket', session_id: s.id } })),
  });
}

async function subscribe(conduitId: string, broadcaster: string, type = 'channel.follow') {
  return helix(twitch, 'POST', '/eventsub/subscriptions', {
    type,
    version: '2',
    condition: { broadcaster_user_id: broadcaster, moderator_user_id: broadcaster },
    transport: { method: 'conduit', conduit_id: conduitId },
  });
}

describe('fake Twitch: the conduit endpoints', () => {
  it('creates, lists, resizes and deletes conduits; shard_count as body (docs) or query (twurple)', async () => {
    const id = await conduitWith(2);
    const byQuery = await helix(twitch, 'POST', '/mock/eventsub/conduits?shard_count=3');
    expect(byQuery.body.data).toEqual([{ id: expect.any(String), shard_count: 3 }]);
    expect((await helix(twitch, 'GET', '/mock/eventsub/conduits')).body.data).toHaveLength(2);

    const resized = await helix(twitch, 'PATCH', '/mock/eventsub/conduits', { id, shard_count: 5 });
    expect(resized.body.data).toEqual([{ id, shard_count: 5 }]);
    const shards = await helix(twitch, 'GET', `/mock/eventsub/conduits/shards?conduit_id=${id}`);
    expect((shards.body.data as Array<{ id: string }>).map((s) => s.id)).toEqual(['0', '1', '2', '3', '4']);

    expect((await helix(twitch, 'DELETE', `/mock/eventsub/conduits?id=${id}`)).status).toBe(204);
    expect((await helix(twitch, 'DELETE', `/mock/eventsub/conduits?id=${id}`)).status).toBe(404);
    expect((await helix(twitch, 'GET', '/mock/eventsub/conduits')).body.data).toHaveLength(1);
  });

  it('rejects what breaks a limit and creates nothing: 5 conduits, 1–20,000 shards, an app token', async () => {
    for (const bad of [0, 20_001, 1.5, 'x']) {
      const answer = await helix(twitch, 'POST', '/mock/eventsub/conduits', { shard_count: bad });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/shard_count must be a whole number from 1 to 20000/);
    }
    const user = await helix(twitch, 'POST', '/mock/eventsub/conduits', { shard_count: 1 }, 'access-someone');
    expect(user.status).toBe(401);
    expect(twitch.conduits.conduits.size).toBe(0);

    for (let i = 0; i < 5; i++) await conduitWith(1);
    const sixth = await helix(twitch, 'POST', '/mock/eventsub/conduits', { shard_count: 1 });
    expect(sixth.status).toBe(429);
    expect(sixth.body.message).toMatch(/conduit limit reached/);
    expect(twitch.conduits.conduits.size).toBe(5);
  });

  it('updates shards: per-shard errors in the 202 body, the good ones applied; over 100 is 400 and applies none', async () => {
    const id = await conduitWith(2);
    const a = await session();
    const answer = await helix(twitch, 'PATCH', '/mock/eventsub/conduits/shards', {
      conduit_id: id,
      shards: [
        { id: '0', transport: { method: 'websocket', session_id: a.id } },
        { id: '1', transport: { method: 'websocket', session_id: 'no-such-session' } },
        { id: '7', transport: { method: 'websocket', session_id: a.id } },
      ],
    });
    expect(answer.status).toBe(202);
    expect(answer.body.data).toEqual([
      {
        id: '0',
        status: 'enabled',
        transport: { method: 'websocket', session_id: a.id, connected_at: expect.any(String) },
      },
    ]);
    expect(answer.body.errors).toEqual([
      { id: '1', message: expect.stringMatching(/session does not exist/), code: 'invalid_parameter' },
      { id: '7', message: "The shard id is outside the conduit's range", code: 'invalid_parameter' },
    ]);

    const big = await helix(twitch, 'PATCH', '/mock/eventsub/conduits/shards', {
      conduit_id: id,
      shards: Array.from({ length: 101 }, () => ({
        id: '1',
        transport: { method: 'websocket', session_id: a.id },
      })),
    });
    expect(big.status).toBe(400);
    expect(big.body.message).toMatch(/at most 100 shards/);
    expect(twitch.conduits.conduits.get(id)!.shards[1]!.status).not.toBe('enabled');
    const missing = await assign('no-such-conduit', [['0', a]]);
    expect(missing.status).toBe(404);
  });

  it('closes a session not assigned to a shard within the window (4003); an assigned one stays', async () => {
    ws.subscribeWindowMs = 300;
    const id = await conduitWith(1);
    const unused = await session();
    const used = await session();
    await assign(id, [['0', used]]);
    await waitFor(() => unused.closeCode !== undefined, 5000, 'the unused session to be closed');
    expect(unused.closeCode).toBe(4003);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(used.closeCode).toBeUndefined();
  });
});

describe('fake Twitch: conduit subscriptions and routing', () => {
  it('creates subscriptions on a conduit with an app token only; a duplicate is 409 naming the existing one', async () => {
    const id = await conduitWith(1);
    const created = await subscribe(id, '100');
    expect(created.status).toBe(202);
    const sub = (created.body.data as Array<{ id: string; status: string; transport: unknown }>)[0]!;
    expect(sub).toMatchObject({ status: 'enabled', transport: { method: 'conduit', conduit_id: id } });
    const again = await subscribe(id, '100');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ message: 'subscription already exists', id: sub.id });
    const unknown = await subscribe('no-such-conduit', '101');
    expect(unknown.status).toBe(400);
    expect(twitch.subscriptions).toHaveLength(1);
    const listed = await helix(twitch, 'GET', '/eventsub/subscriptions');
    expect((listed.body.data as Array<{ id: string }>).map((s) => s.id)).toEqual([sub.id]);
  });

  it('routes by channel id to a stable shard, fails over to the other shard when one is disabled, drops when both are', async () => {
    const id = await conduitWith(2);
    const [a, b] = [await session(), await session()];
    await assign(id, [
      ['0', a],
      ['1', b],
    ]);
    const broadcasters = Array.from({ length: 20 }, (_, i) => String(1000 + i));
    for (const broadcaster of broadcasters) await subscribe(id, broadcaster);
    const disabledSub = await helix(twitch, 'POST', '/eventsub/subscriptions', {
      type: 'conduit.shard.disabled',
      version: '1',
      condition: { client_id: twitch.clientId, conduit_id: id },
      transport: { method: 'conduit', conduit_id: id },
    });
    expect(disabledSub.status).toBe(202);

    const first = twitch.conduits.notify('channel.follow');
    expect(first).toHaveLength(20);
    const expectedShard = (bid: string) => String(stableHash(bid) % 2);
    for (const routed of first) {
      const sub = twitch.subscriptions.find((s) => s.id === routed.subscriptionId)!;
      expect(routed.deliveredTo).toBe(expectedShard(channelOf(sub)));
    }
    await waitFor(() => notificationsOf(a).length + notificationsOf(b).length === 20);
    expect(notificationsOf(a).length).toBeGreaterThan(0);
    expect(notificationsOf(b).length).toBeGreaterThan(0);

    a.socket.terminate();
    await waitFor(() => twitch.conduits.conduits.get(id)!.shards[0]!.status !== 'enabled');
    expect(twitch.conduits.conduits.get(id)!.shards[0]!.status).toBe('websocket_disconnected');
    // conduit.shard.disabled went out on the shard still enabled.
    await waitFor(() => notificationsOf(b).some((n) => n.type === 'conduit.shard.disabled'));
    const disabled = notificationsOf(b).find((n) => n.type === 'conduit.shard.disabled')!;
    expect(disabled.event).toMatchObject({
      conduit_id: id,
      shard_id: '0',
      status: 'websocket_disconnected',
      transport: { method: 'websocket', session_id: a.id, disconnected_at: expect.any(String) },
    });

    const before = notificationsOf(b).length;
    const second = twitch.conduits.notify('channel.follow');
    expect(second.every((r) => r.deliveredTo === '1')).toBe(true);
    await waitFor(() => notificationsOf(b).length === before + 20);

    b.socket.terminate();
    await waitFor(() => twitch.conduits.conduits.get(id)!.shards[1]!.status !== 'enabled');
    const third = twitch.conduits.notify('channel.follow');
    expect(third.every((r) => r.deliveredTo === undefined)).toBe(true);
  });

  it('a session_reconnect carries the shard to the new session: still enabled, nothing re-assigned', async () => {
    const id = await conduitWith(1);
    const a = await session();
    await assign(id, [['0', a]]);
    await subscribe(id, '100');
    ws.requestReconnect(a.id);
    await waitFor(() => a.frames.some((f) => f.metadata.message_type === 'session_reconnect'));
    const url = (a.frames.at(-1)!.payload.session as { reconnect_url: string }).reconnect_url;
    const b = await openSession(url);
    sessions.push(b);
    a.socket.close(1000);
    await waitFor(() => ws.sessions.get(a.id)!.open === false);
    const shard = twitch.conduits.conduits.get(id)!.shards[0]!;
    expect(shard).toMatchObject({ status: 'enabled', transport: { session_id: b.id } });
    const [routed] = twitch.conduits.notify('channel.follow');
    expect(routed!.sessionId).toBe(b.id);
    await waitFor(() => notificationsOf(b).length === 1);
  });

  it('deletes a conduit whose shards stay disabled for 72 h (fake clock); its subscriptions end conduit_deleted', async () => {
    const id = await conduitWith(1);
    const a = await session();
    await assign(id, [['0', a]]);
    await subscribe(id, '100');
    a.socket.terminate();
    await waitFor(() => twitch.conduits.conduits.get(id)!.shards[0]!.status !== 'enabled');
    expect(twitch.conduits.advanceClock(CONDUIT_ORPHAN_MS - 60_000)).toEqual([]);
    expect(twitch.conduits.conduits.has(id)).toBe(true);

    // A shard enabled again in time resets the count.
    const b = await session();
    await assign(id, [['0', b]]);
    b.socket.terminate();
    await waitFor(() => twitch.conduits.conduits.get(id)!.shards[0]!.status !== 'enabled');
    expect(twitch.conduits.advanceClock(CONDUIT_ORPHAN_MS - 60_000)).toEqual([]);

    const controls = await fetch(`http://127.0.0.1:${twitch.port}/_fake/conduits/advance-clock?hours=1`, {
      method: 'POST',
    });
    expect(await controls.json()).toEqual({ deleted: [id] });
    expect(twitch.subscriptions.map((s) => s.status)).toEqual(['conduit_deleted']);
    expect((await helix(twitch, 'GET', '/mock/eventsub/conduits')).body.data).toEqual([]);
  });

  it('a webhook shard: challenge echoed → enabled; a notification it fails every attempt for disables it and is not resent to another shard', async () => {
    const challenges: unknown[] = [];
    let notifications = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { challenge?: string };
        if (req.headers['twitch-eventsub-message-type'] === 'webhook_callback_verification') {
          challenges.push(parsed);
          return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end(parsed.challenge);
        }
        notifications++;
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    try {
      const withCallbacks = new FakeTwitch({ delivery: { attempts: 2, retryBaseMs: 10 } });
      await withCallbacks.start();
      const other = twitch;
      twitch = withCallbacks;
      try {
        const id = await conduitWith(2);
        const b = await openSession((await new FakeEventSubWs(twitch).start()).url);
        sessions.push(b);
        const answer = await helix(twitch, 'PATCH', '/mock/eventsub/conduits/shards', {
          conduit_id: id,
          shards: [
            { id: '0', transport: { method: 'webhook', callback, secret: 'shard-secret-0123' } },
            { id: '1', transport: { method: 'websocket', session_id: b.id } },
          ],
        });
        expect((answer.body.data as Array<{ status: string }>).map((s) => s.status)).toEqual([
          'webhook_callback_verification_pending',
          'enabled',
        ]);
        const shard0 = twitch.conduits.conduits.get(id)!.shards[0]!;
        await waitFor(() => shard0.status === 'enabled');
        expect(challenges).toEqual([
          { challenge: expect.any(String), conduit_shard: { conduit_id: id, shard: '0' } },
        ]);
        // A broadcaster whose channel hashes to shard 0.
        const broadcaster = Array.from({ length: 50 }, (_, i) => String(3000 + i)).find(
          (bid) => stableHash(bid) % 2 === 0,
        )!;
        await subscribe(id, broadcaster);
        const [routed] = twitch.conduits.notify('channel.follow');
        expect(routed!.deliveredTo).toBe('0');
        await waitFor(() => shard0.status === 'notification_failures_exceeded');
        expect(notifications).toBe(2);
        // Not resent to the enabled WebSocket shard.
        expect(notificationsOf(b).filter((n) => n.type === 'channel.follow')).toEqual([]);
      } finally {
        await twitch.webSockets?.stop();
        await twitch.stop();
        twitch = other;
      }
    } finally {
      server.close();
    }
  });
});
