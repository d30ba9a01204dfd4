import { afterEach, describe, expect, it } from '@jest/globals';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { openSse } from '../support/sse-reader.js';
import { ALL_TOKEN, FOLLOWS_TOKEN, follow, postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { fixture } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayWithStreams(extra: Record<string, string> = {}) {
  const files: (() => void)[] = [];
  cleanups.push(() => files.forEach((f) => f()));
  const configFile = writeStreamsConfig(
    [
      { name: 'all', token: ALL_TOKEN, maxClients: 2, allowOrigin: ['https://overlay.example'] },
      { name: 'follows', token: FOLLOWS_TOKEN, filter: { types: ['channel.follow'] } },
    ],
    files,
  );
  const relay = await startTestRelay(
    { CONFIG_FILE: configFile, STREAM_HEARTBEAT_MS: '200', ...extra },
    { captureLogs: true },
  );
  cleanups.push(() => relay.close());
  return relay;
}

describe('GET /stream/<name>: who may listen', () => {
  it('answers 401 JSON without a token or with a wrong one, and sends such a client nothing', async () => {
    const relay = await relayWithStreams();
    const none = await openSse(`${relay.url}/stream/all`);
    const wrong = await openSse(`${relay.url}/stream/all?token=not-the-token-at-all`);
    const wrongBearer = await openSse(`${relay.url}/stream/all`, {
      Authorization: 'Bearer ' + FOLLOWS_TOKEN,
    });
    for (const connection of [none, wrong, wrongBearer]) {
      await connection.ended;
      expect(connection.status).toBe(401);
      expect(connection.headers['content-type']).toMatch(/application\/json/);
      expect(connection.headers['www-authenticate']).toBe('Bearer realm="stream"');
      expect(JSON.parse(connection.text())).toMatchObject({ error: 'unauthorized' });
      expect(JSON.parse(connection.text()).message).toMatch(
        /Authorization: Bearer <token> or \?token=<token>/,
      );
    }
    await postEvent(relay.url, TEST_SECRET, follow('1'));
    expect(await relay.store.countEvents()).toBe(1);
    for (const connection of [none, wrong, wrongBearer]) {
      expect(connection.events).toEqual([]);
      expect(connection.text()).not.toContain('channel.follow');
    }
  });

  it('answers 404 for an unknown stream, naming the configured ones', async () => {
    const relay = await relayWithStreams();
    const unknown = await openSse(`${relay.url}/stream/nope?token=${ALL_TOKEN}`);
    await unknown.ended;
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text())).toEqual({
      error: 'unknown_stream',
      message: 'no stream named "nope"; the configured streams are /stream/all, /stream/follows',
    });
  });

  it('answers 429 once a token holds maxClients connections, and admits again after one closes', async () => {
    const relay = await relayWithStreams();
    const first = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    const second = await openSse(`${relay.url}/stream/all`, { Authorization: `Bearer ${ALL_TOKEN}` });
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    await third.ended;
    expect(third.status).toBe(429);
    expect(JSON.parse(third.text())).toMatchObject({ error: 'too_many_clients' });
    expect(JSON.parse(third.text()).message).toMatch(/maxClients 2/);
    // Another stream's token has its own allowance.
    const other = await openSse(`${relay.url}/stream/follows?token=${FOLLOWS_TOKEN}`);
    expect(other.status).toBe(200);
    first.close();
    await waitFor(async () => {
      const again = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
      if (again.status === 200) cleanups.push(() => again.close());
      return again.status === 200;
    });
    second.close();
    other.close();
  });

  it('answers 404 for /stream alone and for a malformed name', async () => {
    const relay = await relayWithStreams();
    for (const path of ['/stream', '/stream/%E0%A4%A', '/stream/all/more']) {
      const res = await fetch(`${relay.url}${path}?token=${ALL_TOKEN}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe('unknown_stream');
    }
  });

  it('answers 400 for a Last-Event-ID it cannot read', async () => {
    const relay = await relayWithStreams();
    const bad = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`, { 'Last-Event-ID': 'abc' });
    await bad.ended;
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text()).message).toMatch(/send a seq from an event's id: line/);
  });

  it('gives CORS headers only to an allowed origin', async () => {
    const relay = await relayWithStreams();
    const allowed = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`, {
      Origin: 'https://overlay.example',
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://overlay.example');
    allowed.close();
    const other = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`, {
      Origin: 'https://evil.example',
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    other.close();
    const notListed = await openSse(`${relay.url}/stream/follows?token=${FOLLOWS_TOKEN}`, {
      Origin: 'https://overlay.example',
    });
    expect(notListed.headers['access-control-allow-origin']).toBeUndefined();
    notListed.close();
    const preflight = await fetch(`${relay.url}/stream/all`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://overlay.example', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });

  it('never writes a stream token to the log, right or wrong, in the header or the URL', async () => {
    const relay = await relayWithStreams();
    const viaQuery = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    const viaHeader = await openSse(`${relay.url}/stream/follows`, {
      Authorization: `Bearer ${FOLLOWS_TOKEN}`,
    });
    const wrong = await openSse(`${relay.url}/stream/all?token=wrong-${ALL_TOKEN}`);
    await wrong.ended;
    await postEvent(relay.url, TEST_SECRET, follow('7'));
    await waitFor(() => viaQuery.events.length === 1 && viaHeader.events.length === 1);
    viaQuery.close();
    viaHeader.close();
    await waitFor(() => relay.logText().includes('stream client connected'));
    expect(relay.logText()).not.toContain(ALL_TOKEN);
    expect(relay.logText()).not.toContain(FOLLOWS_TOKEN);
  });
});

describe('GET /stream/<name>: what a listener receives', () => {
  it('sends retry:, heartbeats, and each event as id: seq, event: type, data: the envelope JSON', async () => {
    const relay = await relayWithStreams();
    const stream = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    await postEvent(relay.url, TEST_SECRET, follow('42'));
    await waitFor(() => stream.events.length === 1);
    const [event] = stream.events;
    const stored = (await relay.store.readEventsAfter(0, 10))[0]!;
    expect(event!.id).toBe(String(stored.seq));
    expect(event!.event).toBe('channel.follow');
    const data = JSON.parse(event!.data);
    expect(data.event.user_id).toBe('42');
    expect(data.id).toBe(stored.envelope.id);
    expect(stream.retry).toBe(3000);
    await waitFor(() => stream.comments.includes('heartbeat'), 5000, 'a heartbeat comment');
    stream.close();
  });

  it('applies each stream’s filter (same syntax as sink filters)', async () => {
    const relay = await relayWithStreams();
    const all = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    const follows = await openSse(`${relay.url}/stream/follows?token=${FOLLOWS_TOKEN}`);
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.cheer.v1.json'));
    await postEvent(relay.url, TEST_SECRET, follow('5'));
    await postEvent(relay.url, TEST_SECRET, fixture('notification.channel.raid.v1.json'));
    await waitFor(() => all.events.length === 3 && follows.events.length === 1);
    expect(all.events.map((e) => e.event)).toEqual(['channel.cheer', 'channel.follow', 'channel.raid']);
    expect(follows.events.map((e) => e.event)).toEqual(['channel.follow']);
    // A filtered stream resumes past what it skipped too.
    const resumed = await openSse(`${relay.url}/stream/follows?token=${FOLLOWS_TOKEN}&since=0`);
    await waitFor(() => resumed.events.length === 1);
    expect(resumed.events[0]!.id).toBe(follows.events[0]!.id);
    for (const c of [all, follows, resumed]) c.close();
  });

  it('starts live with since=now (or no since), and from the store with ?since=<seq>', async () => {
    const relay = await relayWithStreams();
    await postEvent(relay.url, TEST_SECRET, follow('1'));
    await postEvent(relay.url, TEST_SECRET, follow('2'));
    const live = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}&since=now`);
    const plain = await openSse(`${relay.url}/stream/all?token=${ALL_TOKEN}`);
    const [first] = await relay.store.readEventsAfter(0, 1);
    live.close();
    const fromFirst = await openSse(`${relay.url}/stream/follows?token=${FOLLOWS_TOKEN}&since=${first!.seq}`);
    await postEvent(relay.url, TEST_SECRET, follow('3'));
    await waitFor(() => plain.events.length === 1 && fromFirst.events.length === 2);
    expect(JSON.parse(plain.events[0]!.data).event.user_id).toBe('3');
    expect(fromFirst.events.map((e) => JSON.parse(e.data).event.user_id)).toEqual(['2', '3']);
    plain.close();
    fromFirst.close();
  });
});
