import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findingOf, findingsNotOk, parseDoctorReport, type DoctorReport } from '../support/doctor-report.js';
import { freePort, runCli } from '../support/relay-process.js';
import {
  FOLLOW_AND_ONLINE,
  STREAMER,
  startWebSocketSetup,
  type WebSocketSetup,
} from '../support/websocket-relay.js';

/** Over WebSockets a chat type needs only user:read:chat (over webhooks also user:bot). */
const CHAT = { type: 'channel.chat.message', broadcaster: 'streamer' };
const SCOPES = ['moderator:read:followers', 'user:read:chat'];

describe('eventsub-relay doctor with TRANSPORT=websocket: the real relay, the fake Helix and the fake EventSub WebSocket server', () => {
  let setup: WebSocketSetup;

  beforeAll(async () => {
    setup = await startWebSocketSetup({ subscriptions: [...FOLLOW_AND_ONLINE, CHAT], scopes: SCOPES });
    // The relay doctor looks at runs in this process: doctor itself is the process under test.
    await setup.startInProcess();
    await setup.subscribed(3);
  });
  afterAll(async () => {
    await setup?.close();
  });

  async function doctor(
    extra: Record<string, string> = {},
    args = ['--json'],
  ): Promise<DoctorReport & { code: number; stdout: string }> {
    const result = await runCli(['doctor', '--timeout', '3000', ...args], setup.env(extra), {
      cwd: setup.dir,
    });
    if (!args.includes('--json'))
      return { code: result.code, stdout: result.stdout, ok: result.code === 0, checks: [] };
    return { code: result.code, stdout: result.stdout, ...parseDoctorReport(result) };
  }
  const find = findingOf;
  const notOk = findingsNotOk;
  const configFile = (subscriptions: unknown[]) => {
    const path = join(setup.dir, `relay-${Math.random()}.yml`);
    writeFileSync(path, stringify({ subscriptions }));
    return path;
  };

  it('healthy: all ✔, exit 0; the webhook-only checks say "not needed"; the token, subscriptions and EVENTSUB_WS_URL are checked', async () => {
    const before = setup.live().map((s) => s.id);
    const sessions = setup.ws.sessions.size;
    const report = await doctor();
    expect(notOk(report)).toEqual([]);
    expect(report.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(find(report, 'public-url').detail).toBe(
      'not needed: with TRANSPORT=websocket the relay connects out to Twitch (no public address, TLS or callback)',
    );
    expect(find(report, 'secret').detail).toContain('not used: with TRANSPORT=websocket');
    expect(report.checks.filter((c) => /^(tls|challenge)/.test(c.id))).toEqual([]);
    expect(find(report, 'twitch').detail).toContain('TRANSPORT=websocket');
    expect(find(report, `tokens.${STREAMER.id}`).detail).toContain('renewed automatically');
    // The chat type is checked with the scopes it needs over WebSockets (user:read:chat, not user:bot).
    expect(find(report, 'scopes.channel.chat.message.streamer').detail).toBe('granted (user:read:chat)');
    expect(find(report, 'websocket.subscriptions').detail).toBe(
      'what serve creates on each session: 3 with the token of streamer (cost 0 of 10)',
    );
    expect(find(report, 'websocket.url').detail).toBe(
      `${setup.ws.url} answered with a session_welcome (keepalive 10 s); the probe's session was closed unused`,
    );
    // The probe opened one session, subscribed nothing on it and closed it; the relay's are untouched.
    expect(setup.ws.sessions.size).toBe(sessions + 1);
    const probe = [...setup.ws.sessions.values()].at(-1)!;
    expect(probe.subscribed).toBe(false);
    expect(setup.live().map((s) => s.id)).toEqual(before);

    const text = await doctor({}, []);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^✔ WebSocket subscriptions: what serve creates on each session: 3 with the token of streamer/m,
    );
    expect(text.stdout).toMatch(
      /^✔ EVENTSUB_WS_URL: ws:\/\/127\.0\.0\.1:\d+\/ws answered with a session_welcome/m,
    );
    expect(text.stdout).toMatch(/\n\nall \d+ checks passed\n$/);
  });

  it('EVENTSUB_WS_URL where nothing listens → ✗ with what to check, exit 1', async () => {
    const url = `ws://127.0.0.1:${await freePort()}/ws`;
    const report = await doctor({ EVENTSUB_WS_URL: url });
    expect(report.code).toBe(1);
    expect(find(report, 'websocket.url')).toMatchObject({
      status: 'fail',
      hard: true,
      detail: expect.stringMatching(new RegExp(`^${url.replace(/[/.]/g, '\\$&')}: .*ECONNREFUSED`)),
      fix: expect.stringContaining('wss://eventsub.wss.twitch.tv/ws'),
    });
    expect(notOk(report).map((c) => c.id)).toEqual(['websocket.url']);
  });

  it('a type WebSockets cannot deliver (app token only) → ✗, exit 1', async () => {
    const report = await doctor({
      CONFIG_FILE: configFile([
        ...FOLLOW_AND_ONLINE,
        { type: 'user.authorization.revoke', broadcaster: 'streamer' },
      ]),
    });
    expect(report.code).toBe(1);
    expect(find(report, 'websocket.subscriptions')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        'user.authorization.revoke is delivered only over webhooks and conduits',
      ),
    });
  });

  it('a missing scope → ✗ with the auth login that keeps every scope', async () => {
    const report = await doctor({
      CONFIG_FILE: configFile([...FOLLOW_AND_ONLINE, { type: 'channel.cheer', broadcaster: 'streamer' }]),
    });
    expect(report.code).toBe(1);
    const websocket = find(report, 'websocket.subscriptions');
    expect(websocket.status).toBe('fail');
    expect(websocket.detail).toContain('missing bits:read');
    expect(websocket.fix).toContain(
      '`eventsub-relay auth login --scopes moderator:read:followers,user:read:chat,bits:read`',
    );
    expect(find(report, 'scopes.channel.cheer.streamer').status).toBe('fail');
  });

  it('no subscriptions in the config file → ✗ (Twitch would close the session after 10 s)', async () => {
    const report = await doctor({ CONFIG_FILE: configFile([]) });
    expect(report.code).toBe(1);
    expect(find(report, 'websocket.subscriptions')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('there are none'),
    });
  });

  it('a stored token without a refresh token → ✗: the session outlives the token', async () => {
    const stored = setup.tokens.get(STREAMER.id)!;
    setup.tokens.save({ ...stored, refreshToken: null });
    try {
      const report = await doctor();
      expect(report.code).toBe(1);
      expect(find(report, 'websocket.subscriptions')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('the stored token of streamer has no refresh token'),
        fix: expect.stringContaining('eventsub-relay auth login'),
      });
    } finally {
      setup.tokens.save(stored);
    }
  });

  it('with TRANSPORT=webhook there is no WebSocket line', async () => {
    const report = await doctor({ TRANSPORT: 'webhook' });
    expect(report.checks.filter((c) => c.id.startsWith('websocket'))).toEqual([]);
  });
});
