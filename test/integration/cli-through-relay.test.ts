import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALLBACK, useCliHarness } from '../support/cli-harness.js';
import { freePort, startRelayProcess, type RelayProcess } from '../support/relay-process.js';

// Each test runs the relay and the CLI as processes; on a busy 2-core machine that takes a while.
jest.setTimeout(90_000);

const h = useCliHarness();
let relay: RelayProcess | undefined;
afterEach(async () => {
  relay?.child.kill('SIGTERM');
  await relay?.exited;
  relay = undefined;
});

/** `eventsub-relay serve` in the harness's folder, with the harness's env and `extra` (its own config). */
async function serve(extra: Record<string, string> = {}): Promise<RelayProcess> {
  const port = String(await freePort());
  relay = await startRelayProcess(h.env({ PORT: port, ...extra }), { cwd: h.dir });
  return relay;
}

/** An admin API answer, read loosely: each test checks the fields it cares about. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes
type ApiAnswer = any;

const token = () => readFileSync(join(h.dir, 'dashboard-token'), 'utf8').trim();

/** Calls the running relay's admin API with its dashboard token (as the CLI does). */
async function callApi(
  path: string,
  body?: unknown,
  auth = true,
): Promise<{ status: number; json: ApiAnswer }> {
  const response = await fetch(`${relay!.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(auth && { Authorization: `Bearer ${token()}` }),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

/** The events the relay stored, read from its store by the CLI. */
async function storedEvents(port: string): Promise<{ id: string; type: string }[]> {
  const listed = await h.cli(['events', 'list', '--json'], { PORT: port });
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as { id: string; type: string }[];
}

describe('sync through the running relay', () => {
  it("sync --dry-run prints the API's plan from the relay's configuration; sync applies it there", async () => {
    await h.authorize(['moderator:read:followers']);
    // ${CHANNEL} is set for the relay only: a CLI reading its own environment could not plan.
    writeFileSync(
      join(h.dir, 'eventsub-relay.yml'),
      'subscriptions:\n  - { type: channel.follow, broadcaster: "${CHANNEL}" }\n  - { type: stream.online, broadcaster: streamer }\n',
    );
    const { url } = await serve({ CHANNEL: 'streamer' });
    const port = new URL(url).port;

    const dry = await h.cli(['sync', '--dry-run'], { PORT: port });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const plan = await callApi('/sync/plan', {});
    expect(plan.status).toBe(200);
    expect(dry.stdout).toBe(plan.json.text);
    expect(dry.stdout).toBe(
      `plan for ${CALLBACK} (from ./eventsub-relay.yml):\n` +
        '  + create   channel.follow v2 {"broadcaster_user_id":"1337","moderator_user_id":"1337"}\n' +
        '  + create   stream.online v1 {"broadcaster_user_id":"1337"}\n' +
        '2 change(s) planned; run without --dry-run to apply\n',
    );
    expect(plan.json.steps.map((s: { action: string; type: string }) => [s.action, s.type])).toEqual([
      ['create', 'channel.follow'],
      ['create', 'stream.online'],
    ]);
    expect(h.twitch.eventSubRequests('POST')).toHaveLength(0);

    const applied = await h.cli(['sync'], { PORT: port });
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(
      / {2}created channel\.follow v2: \S+ \(webhook_callback_verification_pending\)\n/,
    );
    expect(applied.stdout).toContain('applied 2 change(s)\n');
    expect(h.twitch.subscriptions.map((s) => s.type).sort()).toEqual(['channel.follow', 'stream.online']);
  });

  it('apply refuses a plan that deletes without "yes": true (409 with the plan), and deletes nothing', async () => {
    await h.authorize([]);
    writeFileSync(join(h.dir, 'eventsub-relay.yml'), 'subscriptions: []\n');
    h.twitch.subscriptions.push({
      id: 'ours-1',
      status: 'enabled',
      type: 'stream.online',
      version: '1',
      condition: { broadcaster_user_id: '1000' },
      transport: { method: 'webhook', callback: CALLBACK },
      created_at: '2026-01-01T00:00:00Z',
      cost: 1,
    });
    await serve();
    const refused = await callApi('/sync/apply', { prune: true });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: 'confirm', plan: { destructive: 1 } });
    expect(refused.json.message).toContain('send "yes": true');
    expect(h.twitch.eventSubRequests('DELETE')).toHaveLength(0);
    expect(h.twitch.subscriptions.map((s) => s.id)).toEqual(['ours-1']);

    const unauthorized = await callApi('/sync/apply', { prune: true, yes: true }, false);
    expect(unauthorized.status).toBe(401);
    expect(h.twitch.subscriptions.map((s) => s.id)).toEqual(['ours-1']);

    const done = await callApi('/sync/apply', { prune: true, yes: true });
    expect(done.status).toBe(200);
    expect(done.json.applied).toEqual(['  deleted ours-1']);
    expect(h.twitch.subscriptions).toEqual([]);
  });
});

describe('trigger through the running relay', () => {
  it('the relay signs with its own secret: a CLI with another EVENTSUB_SECRET still gets 204, the event is stored', async () => {
    const { url } = await serve();
    const port = new URL(url).port;
    const sent = await h.cli(['trigger', 'channel.follow', '--json'], {
      PORT: port,
      EVENTSUB_SECRET: 'not-the-relays-secret-000',
    });
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const { url: target, results } = JSON.parse(sent.stdout);
    expect(target).toBe(`http://127.0.0.1:${port}/callback`);
    expect(results).toEqual([expect.objectContaining({ type: 'channel.follow', status: 204, ok: true })]);
    expect((await storedEvents(port)).map((e) => e.id)).toEqual([results[0].messageId]);
  });

  it('POST /api/trigger writes `set` into the sample (as trigger --set); bad requests are refused and store nothing', async () => {
    const { url } = await serve();
    const port = new URL(url).port;
    const sent = await callApi('/trigger', {
      type: 'channel.chat.message',
      set: [
        { key: 'user', value: 'Bob_Builder' },
        { key: 'message', value: '<img src=x onerror=alert(1)>' },
      ],
    });
    expect(sent.status).toBe(200);
    const id = sent.json.results[0].messageId as string;
    const shown = await h.cli(['events', 'show', id, '--json'], { PORT: port });
    const event = JSON.parse(shown.stdout).envelope.event;
    expect(event).toMatchObject({
      chatter_user_name: 'Bob_Builder',
      chatter_user_login: 'bob_builder',
      message: { text: '<img src=x onerror=alert(1)>' },
    });

    for (const [body, status, error, message] of [
      [{ type: 'channel.folow' }, 400, 'unknown_type', 'did you mean channel.follow'],
      [{ type: 'channel.cheer', set: [{ key: 'viewers', value: '3' }] }, 400, 'bad_override', 'viewers'],
      [{ type: 'channel.cheer', set: [{ key: 'bits', value: 'many' }] }, 400, 'bad_override', 'bits'],
      [{ type: 'channel.cheer', count: 1000 }, 400, 'bad_request', 'count'],
      [{ type: 'channel.cheer', secret: 'x' }, 400, 'bad_request', 'secret'],
    ] as const) {
      const refused = await callApi('/trigger', body);
      expect([refused.status, refused.json.error]).toEqual([status, error]);
      expect(refused.json.message).toContain(message);
    }
    const anonymous = await callApi('/trigger', { type: 'channel.cheer' }, false);
    expect(anonymous.status).toBe(401);
    expect((await storedEvents(port)).map((e) => e.id)).toEqual([id]);
  });

  it('with no relay running, trigger says so in one line and signs and sends itself', async () => {
    const port = String(await freePort());
    const sent = await h.cli(['trigger', 'channel.follow'], { PORT: port });
    expect(sent.stderr).toBe(
      `eventsub-relay trigger: no relay answers at http://127.0.0.1:${port}; acting with this command's own configuration\n`,
    );
    expect(sent.code).toBe(1);
    expect(sent.stdout).toContain('nothing answered (ECONNREFUSED)');
  });
});
