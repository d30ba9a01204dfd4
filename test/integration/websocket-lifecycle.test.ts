import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import WebSocket from 'ws';
import { runCli } from '../support/relay-process.js';
import { waitFor } from '../support/wait-for.js';
import {
  followEvent,
  startWebSocketSetup,
  STREAMER,
  type WebSocketSetup,
} from '../support/websocket-relay.js';

// Each test starts real processes; on a loaded 2-core machine that alone can take seconds.
jest.setTimeout(90_000);

let setup: WebSocketSetup;
afterEach(async () => setup?.close());

/**
 * Runs `eventsub-relay serve` to its end (for the runs that must stop by themselves). On port 0: the
 * default 8080 may be held by anything else on the machine, and these runs never need the address.
 */
const serveToEnd = (extra: Record<string, string> = {}) =>
  runCli(['serve'], setup.env({ PORT: '0', ...extra }), { cwd: setup.dir, timeoutMs: 20_000 });

describe('restarts and tokens', () => {
  it('a relay restart opens a new session and creates the subscriptions again', async () => {
    setup = await startWebSocketSetup();
    const first = await setup.start();
    const before = await setup.subscribed(2);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(setup.ws.sessions.get(before)!.closeCode).toBe(1000);
    // Twitch disables the subscriptions of a closed session.
    expect(
      setup.twitch.subscriptions.filter((s) => s.transport.session_id === before).map((s) => s.status),
    ).toEqual(['websocket_disconnected', 'websocket_disconnected']);

    await setup.start();
    const after = await setup.subscribed(2, before);
    expect(after).not.toBe(before);
    const [id] = setup.ws.notify('channel.follow', followEvent('after_restart'));
    await waitFor(() => setup.consumer.counts().has(id!));
  });

  it('an expired user token is refreshed (RefreshingAuthProvider) and the renewal is stored 0600', async () => {
    setup = await startWebSocketSetup();
    const stored = setup.tokens.get(STREAMER.id)!;
    setup.twitch.tokens.get(stored.accessToken)!.expired = true; // Twitch answers 401 to it
    // Twitch's refresh grant hands out a new access and refresh token.
    setup.twitch.refreshTokens.set(stored.refreshToken!, setup.twitch.issueToken(STREAMER.id, stored.scope));
    await setup.start();
    await setup.subscribed(2);
    const renewed = setup.tokens.get(STREAMER.id)!;
    expect(renewed.accessToken).not.toBe(stored.accessToken);
    expect(renewed.refreshToken).not.toBe(stored.refreshToken);
    expect(statSync(setup.tokens.pathFor(STREAMER.id)).mode & 0o777).toBe(0o600);
    const creates = setup.twitch.eventSubRequests('POST');
    expect(creates.at(-1)!.headers.authorization).toBe(`Bearer ${renewed.accessToken}`);
    expect(setup.twitch.requests.filter((r) => r.path === '/auth/token')).toHaveLength(1);
    expect(readFileSync(setup.tokens.pathFor(STREAMER.id), 'utf8')).toContain(renewed.accessToken);
  });

  it('a token that cannot be refreshed stops the relay with the login command and exit code 78', async () => {
    setup = await startWebSocketSetup();
    const stored = setup.tokens.get(STREAMER.id)!;
    setup.twitch.tokens.get(stored.accessToken)!.expired = true;
    setup.twitch.refreshTokens.delete(stored.refreshToken!); // Twitch: 400 "Invalid refresh token"
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('cannot renew the user token of streamer');
    expect(result.stderr).toContain('Invalid refresh token');
    expect(result.stderr).toContain('`eventsub-relay auth login --scopes moderator:read:followers`');
    expect(setup.live()).toEqual([]);
  });

  it('a refresh that fails later, on a new session, stops the running relay the same way', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.start();
    const session = await setup.subscribed(2);
    const [id] = setup.ws.notify('channel.follow', followEvent('before_the_token_died'));
    await waitFor(() => setup.consumer.counts().has(id!));
    const stored = setup.tokens.get(STREAMER.id)!;
    setup.twitch.tokens.get(stored.accessToken)!.expired = true;
    setup.twitch.refreshTokens.delete(stored.refreshToken!);
    setup.ws.closeSession(session, 4000);
    expect(await relay.exited).toBe(78);
    expect(relay.output()).toContain('cannot renew the user token of streamer');
    expect(relay.output()).toContain('eventsub-relay auth login --scopes moderator:read:followers');
  });
});

describe('start-up checks: nothing connects, the message says what to do', () => {
  it('no subscriptions in the config file', async () => {
    setup = await startWebSocketSetup({ subscriptions: [] });
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(
      'TRANSPORT=websocket creates the subscriptions listed in the config file',
    );
    expect(setup.ws.sessions.size).toBe(0);
  });

  it('no stored token for the broadcaster', async () => {
    setup = await startWebSocketSetup();
    setup.tokens.remove(STREAMER.id);
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('needs the user in moderator_user_id (1337)');
    expect(result.stderr).toContain('eventsub-relay auth login --scopes moderator:read:followers');
    expect(setup.ws.sessions.size).toBe(0);
    expect(setup.twitch.eventSubRequests()).toEqual([]);
  });

  it('a token without the scopes the config needs', async () => {
    setup = await startWebSocketSetup({
      subscriptions: [
        { type: 'channel.follow', broadcaster: 'streamer' },
        { type: 'channel.cheer', broadcaster: 'streamer' },
      ],
    });
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('missing bits:read');
    expect(result.stderr).toContain('eventsub-relay auth login --scopes moderator:read:followers,bits:read');
    expect(setup.ws.sessions.size).toBe(0);
  });

  it('a type Twitch does not deliver over WebSockets', async () => {
    setup = await startWebSocketSetup({
      subscriptions: [{ type: 'user.authorization.revoke', broadcaster: 'streamer' }],
    });
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('user.authorization.revoke is delivered only over webhooks and conduits');
    expect(setup.ws.sessions.size).toBe(0);
  });

  it('more cost than max_total_cost 10 (public data of other channels)', async () => {
    const others = Array.from({ length: 11 }, (_, i) => ({ id: String(2000 + i), login: `other${i}` }));
    setup = await startWebSocketSetup({
      subscriptions: others.map((u) => ({ type: 'stream.online', broadcaster: u.login })),
    });
    setup.twitch.users.push(...others);
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain("would cost 11, over Twitch's max_total_cost of 10");
    expect(setup.ws.sessions.size).toBe(0);
  });

  it('more than 300 subscriptions for one user token', async () => {
    const others = Array.from({ length: 301 }, (_, i) => ({ id: String(3000 + i), login: `chan${i}` }));
    setup = await startWebSocketSetup({
      subscriptions: others.map((u) => ({ type: 'stream.online', broadcaster: u.id })),
    });
    setup.twitch.users.push(...others);
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('Twitch allows 300 per WebSocket connection');
  });
});

describe('limits Twitch enforces at creation', () => {
  it('3 other connections with subscriptions: 429 explained, retried with backoff until one closes', async () => {
    setup = await startWebSocketSetup();
    const token = setup.tokens.get(STREAMER.id)!.accessToken;
    const others: WebSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = new WebSocket(setup.ws.url);
      const welcome = await new Promise<{ payload: { session: { id: string } } }>((resolve) =>
        socket.once('message', (data) => resolve(JSON.parse(data.toString()))),
      );
      others.push(socket);
      const created = await fetch(`http://127.0.0.1:${setup.twitch.port}/eventsub/subscriptions`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Client-Id': setup.twitch.clientId,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          type: 'stream.offline',
          version: '1',
          condition: { broadcaster_user_id: String(4000 + i) },
          transport: { method: 'websocket', session_id: welcome.payload.session.id },
        }),
      });
      expect(created.status).toBe(202);
    }
    const relay = await setup.start({ EVENTSUB_WS_BACKOFF_MS: '200' });
    await waitFor(() => relay.output().includes('number of websocket transports limit exceeded'));
    expect(relay.output()).toContain('already has 3 WebSocket connections with subscriptions');
    others[0]!.close();
    const session = await setup.subscribed(2);
    for (const socket of others) socket.close();
    const [id] = setup.ws.notify('channel.follow', followEvent('after_the_limit'));
    await waitFor(() => setup.consumer.counts().has(id!));
    expect(setup.ws.sessions.get(session)!.open).toBe(true);
  });

  it('Twitch refuses the authorization (403) although the stored token claims the scope: exit 78 with the login command', async () => {
    setup = await startWebSocketSetup();
    setup.twitch.tokens.get(setup.tokens.get(STREAMER.id)!.accessToken)!.scopes = [];
    const result = await serveToEnd();
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('subscription missing proper authorization');
    expect(result.stderr).toContain('eventsub-relay auth login --scopes moderator:read:followers');
  });
});

describe('revocation over WebSocket', () => {
  it('is stored and forwarded like a webhook revocation, logged with what to do, and not recreated on a new session', async () => {
    setup = await startWebSocketSetup();
    const relay = await setup.start();
    const session = await setup.subscribed(2);
    const follow = setup.live().find((s) => s.type === 'channel.follow')!;
    const id = setup.ws.revoke(follow.id, 'authorization_revoked')!;
    await waitFor(() => setup.consumer.counts().has(id));
    await waitFor(() => relay.output().includes('Twitch revoked channel.follow v2 (authorization_revoked)'));
    expect(relay.output()).toContain('run `eventsub-relay auth login --scopes moderator:read:followers`');
    const shown = JSON.parse(
      (await runCli(['events', 'show', id, '--json'], setup.env(), { cwd: setup.dir })).stdout,
    ) as { envelope: { messageType: string; event: unknown; subscription: { status: string } } };
    expect(shown.envelope).toMatchObject({
      messageType: 'revocation',
      event: null,
      subscription: { status: 'authorization_revoked' },
    });

    setup.ws.closeSession(session, 4005);
    const next = await setup.subscribed(1, session);
    expect(
      setup
        .live()
        .filter((s) => s.transport.session_id === next)
        .map((s) => s.type),
    ).toEqual(['stream.online']);
  });
});

describe('the CLI in websocket mode', () => {
  it('`list` shows the WebSocket subscriptions of the stored user; `subscribe` and `sync` say what to do instead', async () => {
    setup = await startWebSocketSetup();
    await setup.start();
    const session = await setup.subscribed(2);
    const cli = (args: string[]) => runCli(args, setup.env(), { cwd: setup.dir });
    const listed = await cli(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('WebSocket subscriptions of streamer');
    expect(listed.stdout).toMatch(new RegExp(`channel\\.follow\\s+2\\s+.*enabled\\s+${session}`));
    expect(listed.stdout).toContain('2 shown; total 2, total_cost 0 of max_total_cost 10');
    const json = JSON.parse((await cli(['list', '--json'])).stdout) as {
      websocket: Array<{ user: { login: string }; subscriptions: Array<{ sessionId: string }> }>;
    };
    expect(json.websocket[0]!.user.login).toBe('streamer');
    expect(json.websocket[0]!.subscriptions.map((s) => s.sessionId)).toEqual([session, session]);

    for (const args of [['subscribe', 'stream.online', '--broadcaster', 'streamer'], ['sync']]) {
      const refused = await cli(args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('TRANSPORT=websocket');
      expect(refused.stderr).toContain('subscriptions:');
    }
    expect(setup.twitch.eventSubRequests('POST')).toHaveLength(2);
  });
});
