import { afterEach, describe, expect, it } from '@jest/globals';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { adminRequest, logIn } from '../support/admin-client.js';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { follow, postEvent } from '../support/stream-relay.js';
import { fixture } from '../support/sign.js';
import { openSse } from '../support/sse-reader.js';
import { startSwitchableConsumer, type SwitchableConsumer } from '../support/switchable-consumer.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = 'dashboard-token-for-tests-0123456789';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A relay with two http sinks: `bot` (dies after one quick retry) and `archive`, both to real consumers. */
async function relayWithSinks() {
  const bot = await startSwitchableConsumer(true);
  const archive = await startSwitchableConsumer(true);
  cleanups.push(
    () => bot.close(),
    () => archive.close(),
  );
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  const sink = (name: string, consumer: SwitchableConsumer) => ({
    name,
    kind: 'http',
    url: consumer.url,
    secret: TEST_WEBHOOK_SECRET,
    retry: { schedule: [0.05], jitter: 0 },
  });
  const configFile = writeSinksConfig([sink('bot', bot), sink('archive', archive)], files);
  const relay = await startTestRelay({ CONFIG_FILE: configFile, DASHBOARD_TOKEN: TOKEN });
  cleanups.push(() => relay.close());
  const get = async (path: string) => {
    const answer = await adminRequest(`${relay.url}/api${path}`, { headers: AUTH });
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.text}`);
    return answer.json as Record<string, unknown> & { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return { relay, bot, archive, get };
}

describe('admin API: events', () => {
  it('lists events newest first, paged by seq, and shows one with its payload and every attempt', async () => {
    const { relay, bot, get } = await relayWithSinks();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await postEvent(relay.url, TEST_SECRET, follow(String(i))));
    await waitFor(() => bot.accepted().length === 5, 15_000, 'five deliveries');

    const first = await get('/events?limit=2');
    expect(first.events.map((e: { id: string }) => e.id)).toEqual([ids[4], ids[3]]);
    const second = await get(`/events?limit=2&before=${first.next}`);
    expect(second.events.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
    const third = await get(`/events?limit=2&before=${second.next}`);
    expect(third.events.map((e: { id: string }) => e.id)).toEqual([ids[0]]);
    expect(third.next).toBeNull();

    const recent = await get('/events/recent?limit=3');
    expect(recent.events.map((e: { id: string }) => e.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(recent.events[0]).toMatchObject({
      type: 'channel.follow',
      gist: 'user5 followed',
      users: expect.arrayContaining(['5', 'user5']),
    });
    const older = await get(`/events/recent?limit=3&before=${recent.next}`);
    expect(older.events.map((e: { id: string }) => e.id)).toEqual([ids[1], ids[0]]);

    const page = await get(`/events/${ids[0]}`);
    expect(page).toMatchObject({ id: ids[0], type: 'channel.follow', gist: 'user1 followed' });
    expect(JSON.parse(page.payload).event).toMatchObject({ user_id: '1', user_name: 'user1' });
    expect(page.sinks.map((s: { sink: string }) => s.sink).sort()).toEqual(['archive', 'bot']);
    for (const sink of page.sinks) {
      expect(sink).toMatchObject({ status: 'delivered', configured: true });
      expect(sink.attempts).toEqual([
        expect.objectContaining({ attempt: 1, ok: true, error: null, durationMs: expect.any(Number) }),
      ]);
    }
    const unknown = await adminRequest(`${relay.url}/api/events/no-such-id`, { headers: AUTH });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'unknown_event' });
  }, 30_000);

  it('replays a dead delivery to one sink: the consumer gets it once; a wrong sink or a missing CSRF token replays nothing', async () => {
    const { relay, bot, archive, get } = await relayWithSinks();
    bot.up = false;
    const id = await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.cheer.v1.json'));
    await waitFor(
      async () => (await get('/deliveries?sink=bot&status=dead')).deliveries.length === 1,
      15_000,
      'dead',
    );
    const page = await get(`/events/${id}`);
    const botView = page.sinks.find((s: { sink: string }) => s.sink === 'bot');
    expect(botView.status).toBe('dead');
    expect(botView.attempts).toEqual([
      expect.objectContaining({ attempt: 1, ok: false, error: 'HTTP 503', response: 'bot is restarting' }),
      expect.objectContaining({ attempt: 2, ok: false, error: 'HTTP 503' }),
    ]);
    const sinks = await get('/sinks');
    expect(sinks.sinks.find((s: { name: string }) => s.name === 'bot')).toMatchObject({
      state: 'failing',
      dead: 1,
      lastError: 'HTTP 503',
      successRateLastHour: 0,
    });
    expect(sinks.sinks.find((s: { name: string }) => s.name === 'archive')).toMatchObject({
      state: 'healthy',
      successRateLastHour: 1,
    });

    bot.up = true;
    const wrongSink = await adminRequest(`${relay.url}/api/events/${id}/replay`, {
      method: 'POST',
      headers: AUTH,
      body: { sink: 'nope' },
    });
    expect(wrongSink.status).toBe(400);
    expect(wrongSink.json).toMatchObject({ error: 'unknown_sink' });
    const { cookie } = await logIn(relay.url, TOKEN);
    const noCsrf = await adminRequest(`${relay.url}/api/events/${id}/replay`, {
      method: 'POST',
      headers: { Cookie: cookie },
      body: { sink: 'bot' },
    });
    expect(noCsrf.status).toBe(403);
    expect((await get('/deliveries?sink=bot&status=dead')).deliveries).toHaveLength(1);
    expect(bot.accepted()).toEqual([]);

    const replay = await adminRequest(`${relay.url}/api/events/${id}/replay`, {
      method: 'POST',
      headers: AUTH,
      body: { sink: 'bot' },
    });
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual({ requeued: 1, sinks: ['bot'] });
    await waitFor(() => bot.accepted().length === 1, 15_000, 'the replayed delivery');
    expect(bot.accepted()).toEqual([id]);
    expect(archive.accepted()).toEqual([id]);
    expect((await get('/deliveries?sink=bot&status=dead')).deliveries).toEqual([]);
  }, 30_000);

  it('replays every dead delivery of a sink in bulk, and pages dead deliveries by id', async () => {
    const { relay, bot, get } = await relayWithSinks();
    bot.up = false;
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await postEvent(relay.url, TEST_SECRET, follow(String(i))));
    await waitFor(
      async () => (await get('/sinks')).sinks[0].dead + (await get('/sinks')).sinks[1].dead === 3,
      15_000,
      'three dead',
    );
    const firstPage = await get('/deliveries?sink=bot&status=dead&limit=2');
    expect(firstPage.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([ids[2], ids[1]]);
    const next = await get(`/deliveries?sink=bot&status=dead&limit=2&before=${firstPage.next}`);
    expect(next.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([ids[0]]);

    bot.up = true;
    const refused = await adminRequest(`${relay.url}/api/deliveries/replay`, {
      method: 'POST',
      headers: AUTH,
      body: { sink: 'bot' },
    });
    expect(refused.status).toBe(400);
    expect(bot.accepted()).toEqual([]);
    const bulk = await adminRequest(`${relay.url}/api/deliveries/replay`, {
      method: 'POST',
      headers: AUTH,
      body: { sink: 'bot', status: 'dead' },
    });
    expect(bulk.json).toEqual({ requeued: 3, sink: 'bot' });
    await waitFor(() => bot.accepted().length === 3, 15_000, 'three replayed');
    expect([...bot.accepted()].sort()).toEqual([...ids].sort());
  }, 30_000);

  it('streams new events to the Live page over SSE, as one line each with the gist', async () => {
    const { relay, get } = await relayWithSinks();
    const unauthenticated = await openSse(`${relay.url}/api/live`);
    await unauthenticated.ended;
    expect(unauthenticated.status).toBe(401);
    const live = await openSse(`${relay.url}/api/live`, AUTH);
    cleanups.push(() => live.close());
    expect(live.status).toBe(200);
    const id = await postEvent(relay.url, TEST_SECRET, follow('42'));
    await waitFor(() => live.events.length === 1, 15_000, 'the live event');
    const line = JSON.parse(live.events[0]!.data);
    expect(line).toMatchObject({ id, type: 'channel.follow', gist: 'user42 followed' });
    expect(live.events[0]!.id).toBe(String(line.seq));
    expect(unauthenticated.events).toEqual([]);
    // A reconnect after that seq gets only what came later.
    const second = await postEvent(relay.url, TEST_SECRET, follow('43'));
    const resumed = await openSse(`${relay.url}/api/live?after=${line.seq}`, AUTH);
    cleanups.push(() => resumed.close());
    await waitFor(() => resumed.events.length === 1, 15_000, 'the resumed event');
    expect(JSON.parse(resumed.events[0]!.data).id).toBe(second);
    expect((await get('/events?limit=1')).events[0].id).toBe(second);
  }, 30_000);
});
