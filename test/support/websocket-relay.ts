import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TokenStore } from '../../src/auth/token-store.js';
import { startCountingConsumer, type CountingConsumer } from './counting-consumer.js';
import { TEST_WEBHOOK_SECRET } from './config-file.js';
import { FakeEventSubWs } from './fake-eventsub-ws.js';
import { FakeTwitch, type FakeSubscription } from './fake-twitch.js';
import { startTestRelay } from './in-process-relay.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { tempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

export const STREAMER = { id: '1337', login: 'streamer' };
export const FOLLOW_AND_ONLINE = [
  { type: 'channel.follow', broadcaster: 'streamer' },
  { type: 'stream.online', broadcaster: 'streamer' },
];

/**
 * Everything a TRANSPORT=websocket relay talks to, on 127.0.0.1: the fake Helix + OAuth
 * (FakeTwitch), the fake EventSub WebSocket server, an HTTP consumer that verifies Standard
 * Webhooks signatures, a DATA_DIR holding the broadcaster's token (as `auth login` stores it) and
 * an eventsub-relay.yml with the subscriptions. `start()` runs the real relay as a process.
 */
export interface WebSocketSetup {
  twitch: FakeTwitch;
  ws: FakeEventSubWs;
  consumer: CountingConsumer;
  dir: string;
  tokens: TokenStore;
  env(extra?: Record<string, string>): Record<string, string>;
  start(extra?: Record<string, string>): Promise<RelayProcess>;
  /**
   * The same relay started in this process, for tests of what it does rather than of the process:
   * its logs captured (`logText()`), its store at hand. Twitch calls go to the fake while it runs.
   */
  startInProcess(extra?: Record<string, string>): Promise<InProcessRelay>;
  /** Enabled websocket subscriptions on open sessions. */
  live(): FakeSubscription[];
  /** Waits until `count` subscriptions are enabled on one open session; returns its id. */
  subscribed(count: number, notOn?: string): Promise<string>;
  close(): Promise<void>;
}

export type InProcessRelay = Awaited<ReturnType<typeof startTestRelay>>;

export async function startWebSocketSetup(
  options: { subscriptions?: unknown[]; scopes?: string[] } = {},
): Promise<WebSocketSetup> {
  const twitch = await new FakeTwitch().start();
  const ws = await new FakeEventSubWs(twitch).start();
  const consumer = await startCountingConsumer(TEST_WEBHOOK_SECRET);
  const dir = tempDir('relay-ws-');
  twitch.users.push(STREAMER);
  const issued = twitch.issueToken(STREAMER.id, options.scopes ?? ['moderator:read:followers']);
  const tokens = new TokenStore(dir.path);
  tokens.save({
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    scope: options.scopes ?? ['moderator:read:followers'],
    expiresIn: 14000,
    obtainmentTimestamp: Date.now(),
    userId: STREAMER.id,
    login: STREAMER.login,
  });
  const configFile = join(dir.path, 'eventsub-relay.yml');
  writeFileSync(configFile, stringify({ subscriptions: options.subscriptions ?? FOLLOW_AND_ONLINE }));
  const processes: RelayProcess[] = [];
  const inProcess: InProcessRelay[] = [];
  // @twurple reads TWURPLE_MOCK_API_PORT from process.env itself; an in-process relay needs it there.
  const mockPortBefore = process.env.TWURPLE_MOCK_API_PORT;
  const setup: WebSocketSetup = {
    twitch,
    ws,
    consumer,
    dir: dir.path,
    tokens,
    env: (extra = {}) => ({
      DATA_DIR: dir.path,
      CONFIG_FILE: configFile,
      TRANSPORT: 'websocket',
      EVENTSUB_WS_URL: ws.url,
      EVENTSUB_WS_BACKOFF_MS: '20',
      TWURPLE_MOCK_API_PORT: String(twitch.port),
      TWITCH_CLIENT_ID: twitch.clientId,
      TWITCH_CLIENT_SECRET: twitch.clientSecret,
      FORWARD_URL: consumer.url('/hook'),
      FORWARD_SECRET: TEST_WEBHOOK_SECRET,
      LOG_LEVEL: 'debug',
      ...extra,
    }),
    async start(extra) {
      const relay = await startRelayProcess(setup.env(extra), { cwd: dir.path });
      processes.push(relay);
      return relay;
    },
    async startInProcess(extra) {
      process.env.TWURPLE_MOCK_API_PORT = String(twitch.port);
      const relay = await startTestRelay(setup.env(extra), { captureLogs: true });
      inProcess.push(relay);
      return relay;
    },
    live: () =>
      twitch.subscriptions.filter(
        (s) =>
          s.transport.method === 'websocket' &&
          s.status === 'enabled' &&
          ws.sessions.get(s.transport.session_id!)?.open === true,
      ),
    async subscribed(count, notOn) {
      let session = '';
      await waitFor(
        () => {
          const ids = new Set(setup.live().map((s) => s.transport.session_id!));
          const match = [...ids].find(
            (id) =>
              id !== notOn && setup.live().filter((s) => s.transport.session_id === id).length === count,
          );
          session = match ?? '';
          return Boolean(match);
        },
        30_000,
        `${count} websocket subscriptions on a session${notOn ? ` other than ${notOn}` : ''}`,
      );
      return session;
    },
    async close() {
      for (const relay of inProcess) await relay.close();
      if (mockPortBefore === undefined) delete process.env.TWURPLE_MOCK_API_PORT;
      else process.env.TWURPLE_MOCK_API_PORT = mockPortBefore;
      for (const relay of processes) {
        if (relay.child.exitCode === null && relay.child.signalCode === null) {
          relay.child.kill('SIGTERM');
          await relay.exited;
        }
      }
      await ws.stop();
      await twitch.stop();
      await consumer.close();
      dir.cleanup();
    },
  };
  return setup;
}

/** A channel.follow event as Twitch documents it (v2), for the channel of STREAMER. */
export function followEvent(userLogin: string): Record<string, unknown> {
  return {
    user_id: String(1000 + userLogin.length),
    user_login: userLogin,
    user_name: userLogin,
    broadcaster_user_id: STREAMER.id,
    broadcaster_user_login: STREAMER.login,
    broadcaster_user_name: 'Streamer',
    followed_at: '2023-07-15T18:16:11.17106713Z',
  };
}
