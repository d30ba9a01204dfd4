import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { AlertQueueSnapshot } from '../../src/alerts/alert.js';
import { writeAlertsConfig } from '../support/alerts-relay.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { freePort, runCli } from '../support/relay-process.js';
import { sample } from '../support/sample-payloads.js';
import { postEvent } from '../support/stream-relay.js';
import { waitFor } from '../support/wait-for.js';

// The CLI runs as a process several times per test; on a busy 2-core machine that takes a while.
jest.setTimeout(90_000);

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;
let token: string;
let env: Record<string, string>;
const files: (() => void)[] = [];

// Alerts last a minute: whatever is on screen stays there for the whole test, so every state the
// test reads is the result of its own calls, never of a clock.
beforeEach(async () => {
  relay = await startTestRelay({ CONFIG_FILE: writeAlertsConfig({ duration: '60s' }, files) });
  token = relay.provisioned.dashboardToken.value;
  env = { DATA_DIR: relay.config.dataDir, PORT: String(relay.port), CONFIG_FILE: relay.config.file.path! };
});
afterEach(async () => {
  await relay.close();
  files.splice(0).forEach((cleanup) => cleanup());
});

async function api(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${relay.url}/api${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const state = async () => (await api('GET', '/alerts?stream=overlay')).body as unknown as AlertQueueSnapshot;

describe('the alert controls: admin API', () => {
  it('test, pause, skip, resume and replay change the queue as asked; GET /api/alerts reads it', async () => {
    const first = await api('POST', '/alerts/test', {
      type: 'channel.cheer',
      set: { user: 'Foo', amount: 500 },
    });
    expect(first.status).toBe(200);
    expect(first.body.alert).toMatchObject({
      type: 'channel.cheer',
      title: 'Foo cheered 500 bits!',
      origin: 'test',
    });
    expect((await state()).current?.alert.title).toBe('Foo cheered 500 bits!');

    expect((await api('POST', '/alerts/pause', {})).body.queue).toMatchObject({ paused: true });
    await api('POST', '/alerts/test', { type: 'channel.follow', set: { user: 'Second' } });
    // Paused: the one on screen stays, the new one waits.
    let now = await state();
    expect([now.paused, now.current?.alert.title, now.waiting.map((a) => a.title)]).toEqual([
      true,
      'Foo cheered 500 bits!',
      ['Second just followed!'],
    ]);
    const skipped = await api('POST', '/alerts/skip', {});
    expect((skipped.body.skipped as { title: string }).title).toBe('Foo cheered 500 bits!');
    now = await state();
    // Still paused: nothing starts after the skip.
    expect([now.current, now.waiting.length]).toEqual([null, 1]);
    await api('POST', '/alerts/resume', {});
    await waitFor(async () => (await state()).current?.alert.title === 'Second just followed!');

    // A real event, then its replay: queued next, after the one on screen.
    const payload = sample('channel.follow', 'user=Real_Follower');
    const eventId = await postEvent(relay.url, TEST_SECRET, payload);
    await waitFor(async () => (await state()).waiting.some((alert) => alert.eventId === eventId));
    await api('POST', '/alerts/test', { type: 'channel.raid', set: { user: 'Raider' } });
    const replay = await api('POST', '/alerts/replay', { eventId });
    expect(replay.status).toBe(200);
    expect(replay.body.alert).toMatchObject({ origin: 'replay', title: 'Real_Follower just followed!' });
    expect((await state()).waiting.map((alert) => [alert.origin, alert.title])).toEqual([
      ['replay', 'Real_Follower just followed!'],
      ['event', 'Real_Follower just followed!'],
      ['test', 'Raider is raiding!'],
    ]);
    const all = await api('GET', '/alerts');
    expect((all.body.streams as AlertQueueSnapshot[]).map((queue) => queue.stream)).toEqual(['overlay']);
  });

  it('refuses what it cannot do with a status and a message, and the queue is unchanged', async () => {
    await api('POST', '/alerts/test', { type: 'channel.follow', set: { user: 'On_Screen' } });
    const before = await state();
    const refusals: [string, unknown, number, string, Record<string, string>?][] = [
      ['/alerts/test', { type: 'channel.folow' }, 400, 'bad_test_alert'],
      ['/alerts/test', { type: 'channel.follow', set: { colour: 'red' } }, 400, 'bad_test_alert'],
      ['/alerts/test', { type: 'channel.follow', set: ['user'] }, 400, 'bad_request'],
      ['/alerts/test', {}, 400, 'bad_request'],
      ['/alerts/test', { type: 'channel.follow', stream: 'elsewhere' }, 404, 'unknown_stream'],
      ['/alerts/replay', { eventId: 'no-such-message-id' }, 404, 'unknown_event'],
      ['/alerts/replay', {}, 400, 'bad_request'],
      ['/alerts/skip', { stream: 7 }, 400, 'bad_request'],
      ['/alerts/skip', {}, 401, 'unauthorized', { Authorization: 'Bearer wrong-token' }],
      ['/alerts/pause', {}, 403, 'cross_site_request', { Origin: 'https://evil.example' }],
    ];
    for (const [path, body, status, error, headers] of refusals) {
      const answer = await api('POST', path, body, headers);
      expect([path, answer.status, answer.body.error]).toEqual([path, status, error]);
      expect(typeof answer.body.message).toBe('string');
    }
    const unknownType = await api('POST', '/alerts/test', { type: 'channel.folow' });
    expect(unknownType.body.message).toContain('channel.follow');
    const after = await state();
    expect([after.paused, after.current?.alert.id, after.waiting]).toEqual([
      false,
      before.current?.alert.id,
      [],
    ]);
    const noToken = await fetch(`${relay.url}/api/alerts`);
    expect(noToken.status).toBe(401);
  });
});

describe('the alert controls: eventsub-relay alerts …', () => {
  it('test with --set, pause, skip, status and replay act on the running relay', async () => {
    const test = await runCli(
      ['alerts', 'test', 'channel.cheer', '--set', 'user=Foo', '--set', 'amount=500'],
      env,
    );
    expect(test.stderr).toBe('');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('queued test alert: channel.cheer "Foo cheered 500 bits!" (test)');
    expect(test.stdout).toMatch(
      /stream overlay: running\n {2}on screen: channel.cheer "Foo cheered 500 bits!" \(test\), \d+ s left/,
    );

    const pause = await runCli(['alerts', 'pause'], env);
    expect(pause.stdout.split('\n')[0]).toBe('paused');
    await runCli(['alerts', 'test', 'channel.follow', '--set', 'user=Waiting'], env);
    const skip = await runCli(['alerts', 'skip'], env);
    expect(skip.stdout).toContain('skipped: channel.cheer "Foo cheered 500 bits!" (test)');
    expect(skip.stdout).toContain('on screen: nothing');
    const status = await runCli(['alerts', 'status', '--json'], env);
    const queues = JSON.parse(status.stdout) as { streams: AlertQueueSnapshot[] };
    expect(queues.streams[0]).toMatchObject({ stream: 'overlay', paused: true, current: null });
    expect(queues.streams[0]!.waiting.map((alert) => alert.title)).toEqual(['Waiting just followed!']);
    const resume = await runCli(['alerts', 'resume'], env);
    expect(resume.stdout.split('\n')[0]).toBe('running');

    const eventId = await postEvent(relay.url, TEST_SECRET, sample('channel.follow', 'user=Replayed'));
    await waitFor(async () => (await state()).waiting.some((alert) => alert.eventId === eventId));
    const replay = await runCli(['alerts', 'replay', eventId], env);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('queued next: channel.follow "Replayed just followed!" (replay)');
  });

  it('says what is wrong: no relay running, a token it refuses, an unknown key or event; nothing queued', async () => {
    const before = await state();
    const down = await runCli(['alerts', 'skip'], { ...env, PORT: String(await freePort()) });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /no relay answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start it with `eventsub-relay serve`/,
    );
    const wrong = await runCli(['alerts', 'pause'], {
      ...env,
      DASHBOARD_TOKEN: 'not-the-dashboard-token-123456',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`the relay at ${relay.url} refused the dashboard token`);
    const key = await runCli(['alerts', 'test', 'channel.follow', '--set', 'colour=red'], env);
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('cannot set "colour"');
    const bare = await runCli(['alerts', 'test', 'channel.follow', '--set', 'user'], env);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('--set needs key=value');
    const event = await runCli(['alerts', 'replay', 'no-such-message-id'], env);
    expect(event.code).toBe(1);
    expect(event.stderr).toContain(
      'the relay answered 404 unknown_event: no stored event with id "no-such-message-id"',
    );
    const after = await state();
    expect([after.paused, after.current, after.waiting]).toEqual([
      before.paused,
      before.current,
      before.waiting,
    ]);
  });
});
