import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRelay } from '../../src/relay/start-relay.js';
import type { SessionSnapshot } from '../../src/stream/session-state.js';
import { TEST_SECRET } from '../support/in-process-relay.js';
import { freePort } from '../support/relay-process.js';
import { sample } from '../support/sample-payloads.js';
import { fixture } from '../support/sign.js';
import { postEvent, writeStreamsConfig } from '../support/stream-relay.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const TOKEN = 'widgets-token-0a1b2c3d4e5f6789';
const ALERTS_TOKEN = 'alerts-token-9f8e7d6c5b4a3210';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A relay on a fixed port and DATA_DIR, so a restart finds its saved sessions. */
async function setup() {
  const files: (() => void)[] = [];
  const dir = tempDir();
  cleanups.push(() => (files.forEach((f) => f()), dir.cleanup()));
  const env = {
    DATA_DIR: dir.path,
    PORT: String(await freePort()),
    EVENTSUB_SECRET: TEST_SECRET,
    CONFIG_FILE: writeStreamsConfig(
      [
        { name: 'widgets', token: TOKEN },
        // Alert types only, without channel.bits.use: cheers count from channel.cheer here.
        {
          name: 'alerts',
          token: ALERTS_TOKEN,
          filter: { types: ['channel.follow', 'channel.cheer', 'channel.subscription.*'] },
        },
      ],
      files,
    ),
  };
  const start = async () => {
    const config = loadRelayConfig(env);
    config.server.shutdownTimeoutMs = 1000;
    const relay = await startRelay(config, createLogger('silent'));
    let stopped = false;
    const stop = async () => {
      if (!stopped) await relay.stop();
      stopped = true;
    };
    cleanups.push(stop);
    return { ...relay, stop };
  };
  return { env, dir: dir.path, start };
}

async function session(url: string, stream: string, token: string): Promise<SessionSnapshot> {
  const answer = await fetch(`${url}/stream/${stream}/session?token=${token}`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  return (await answer.json()) as SessionSnapshot;
}

describe('GET /stream/<name>/session (what the widget pages show)', () => {
  it('counts follows, subs (a gift of N counts N, its gifted subs not again) and bits since stream.online', async () => {
    const { start } = await setup();
    const relay = await start();
    // Before the stream went live: counted, then reset by stream.online.
    await postEvent(relay.url, TEST_SECRET, sample('channel.follow'));
    await waitFor(async () => (await session(relay.url, 'widgets', TOKEN)).counters.follows === 1);
    await postEvent(relay.url, TEST_SECRET, fixture('notification.stream.online.v1.json'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.follow', 'user=First'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.follow', 'user=Second'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.subscribe'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.subscribe', 'gift=true'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.subscription.gift', 'amount=20'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.subscription.message', 'months=7'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.cheer', 'amount=500'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.bits.use', 'amount=100', 'type=cheer'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.goal.begin', 'amount=10', 'goal=50'));
    await postEvent(relay.url, TEST_SECRET, sample('channel.goal.progress', 'amount=25', 'goal=50'));
    const lastSeq = await relay.store.latestSeq();
    await waitFor(async () => (await session(relay.url, 'widgets', TOKEN)).asOf === lastSeq);

    const widgets = await session(relay.url, 'widgets', TOKEN);
    expect(widgets.startedAt).toBe('2020-10-11T10:11:12.123Z');
    // The stream admits channel.bits.use too: a cheer counts once, from bits.use.
    expect(widgets.counters).toEqual({ follows: 2, subs: 22, bits: 100 });
    expect(widgets.goals).toEqual([
      expect.objectContaining({ currentAmount: 25, targetAmount: 50, ended: false, goalType: 'follower' }),
    ]);
    expect(widgets.recent.map((item) => item.type)).toEqual([
      'channel.follow',
      'channel.follow',
      'channel.follow',
      'channel.subscribe',
      'channel.subscribe',
      'channel.subscription.gift',
      'channel.subscription.message',
      'channel.cheer',
      'channel.bits.use',
    ]);
    expect(widgets.recent[1]!.event.user_name).toBe('First');

    // A stream without channel.bits.use counts the cheer; without stream.online admitted it still resets.
    const alerts = await session(relay.url, 'alerts', ALERTS_TOKEN);
    // Its filter has channel.subscription.* but not channel.subscribe: 20 gifted + 1 resub.
    expect(alerts.counters).toEqual({ follows: 2, subs: 21, bits: 500 });
    expect(alerts.startedAt).toBe('2020-10-11T10:11:12.123Z');
    expect(alerts.goals).toEqual([]);
  }, 30_000);

  it('keeps the session across a restart of the relay, with what was stored meanwhile (DATA_DIR file, 0600)', async () => {
    const { start, dir } = await setup();
    const first = await start();
    await postEvent(first.url, TEST_SECRET, fixture('notification.stream.online.v1.json'));
    await postEvent(first.url, TEST_SECRET, sample('channel.follow'));
    await waitFor(async () => (await session(first.url, 'widgets', TOKEN)).counters.follows === 1);
    await first.stop();
    const file = join(dir, 'stream-session-widgets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SessionSnapshot;
    expect(saved.counters).toEqual({ follows: 1, subs: 0, bits: 0 });
    // As if the follow had been stored after the session was saved (a crash in between): the next
    // start reads it from the store.
    writeFileSync(
      file,
      JSON.stringify({
        ...saved,
        asOf: saved.asOf - 1,
        counters: { follows: 0, subs: 0, bits: 0 },
        recent: [],
      }),
    );

    const second = await start();
    await postEvent(second.url, TEST_SECRET, sample('channel.follow', 'user=After_Restart'));
    await waitFor(async () => (await session(second.url, 'widgets', TOKEN)).counters.follows === 2);
    const kept = await session(second.url, 'widgets', TOKEN);
    expect(kept.startedAt).toBe('2020-10-11T10:11:12.123Z');
    expect(kept.recent.map((item) => item.event.user_name)).toEqual(['Cool_User', 'After_Restart']);
  }, 30_000);

  it('answers 401 without the token, 404 for an unknown stream, 405 for POST: no session data in the answer', async () => {
    const { start } = await setup();
    const relay = await start();
    await postEvent(relay.url, TEST_SECRET, sample('channel.follow', 'user=Secret_Follower'));
    await waitFor(async () => (await session(relay.url, 'widgets', TOKEN)).counters.follows === 1);
    for (const [path, status] of [
      ['/stream/widgets/session', 401],
      ['/stream/widgets/session?token=wrong-token-0000000000', 401],
      [`/stream/alerts/session?token=${TOKEN}`, 401],
      [`/stream/nope/session?token=${TOKEN}`, 404],
    ] as const) {
      const answer = await fetch(relay.url + path);
      expect(answer.status).toBe(status);
      const body = await answer.text();
      expect(body).not.toContain('Secret_Follower');
      expect(JSON.parse(body)).toHaveProperty('error');
    }
    const post = await fetch(`${relay.url}/stream/widgets/session?token=${TOKEN}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await post.text()).not.toContain('Secret_Follower');
  }, 30_000);
});
