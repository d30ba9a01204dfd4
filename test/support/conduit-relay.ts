import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startCountingConsumer, type CountingConsumer } from './counting-consumer.js';
import { TEST_WEBHOOK_SECRET } from './config-file.js';
import { FakeEventSubWs } from './fake-eventsub-ws.js';
import { FakeTwitch, type RecordedRequest } from './fake-twitch.js';
import { openStoreFor } from './process-store.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { tempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

/** One relay process serving one shard, with its own DATA_DIR (and so its own SQLite store). */
export interface ShardRelay {
  dir: string;
  shard: number | 'claimed';
  process: RelayProcess;
  /** Ids of the events its store holds. */
  storedIds(): Promise<string[]>;
}

/**
 * Everything a TRANSPORT=conduit relay talks to, on 127.0.0.1: the fake Helix + OAuth (with its
 * conduits), the fake EventSub WebSocket server whose sessions become shards, and an HTTP consumer
 * that verifies Standard Webhooks signatures. Broadcasters are users the fake knows; each relay's
 * eventsub-relay.yml lists `type` for every one of them. `start()` runs a real relay process.
 */
export interface ConduitSetup {
  twitch: FakeTwitch;
  ws: FakeEventSubWs;
  consumer: CountingConsumer;
  broadcasters: string[];
  /**
   * Starts a relay for `shard` (CONDUIT_SHARD); `'claimed'` leaves CONDUIT_SHARD unset, so replicas
   * on a shared store claim theirs. `env` adds to (or, with undefined, removes from) its environment.
   */
  start(
    shard: number | 'claimed',
    options?: { conduitId?: string; dir?: string; env?: Record<string, string | undefined>; name?: string },
  ): Promise<ShardRelay>;
  /** Waits until the shard is enabled on an open session other than `notOn`; returns the session id. */
  shardEnabled(conduitId: string, shard: number, notOn?: string): Promise<string>;
  /** Helix subscription creates (POST /eventsub/subscriptions) the fake received. */
  creates(): RecordedRequest[];
  close(): Promise<void>;
}

export async function startConduitSetup(options: {
  broadcasters: number;
  shards: number;
  type?: string;
}): Promise<ConduitSetup> {
  const twitch = await new FakeTwitch({ callbacks: false }).start();
  const ws = await new FakeEventSubWs(twitch).start();
  const consumer = await startCountingConsumer(TEST_WEBHOOK_SECRET);
  const broadcasters = Array.from({ length: options.broadcasters }, (_, i) => String(5000 + i));
  for (const id of broadcasters) twitch.users.push({ id, login: `caster${id}` });
  const dirs: Array<{ cleanup(): void }> = [];
  const relays: ShardRelay[] = [];
  const setup: ConduitSetup = {
    twitch,
    ws,
    consumer,
    broadcasters,
    async start(shard, { conduitId, dir: given, env = {}, name = `shard-${shard}` } = {}) {
      let dir = given;
      if (!dir) {
        const made = tempDir(`relay-conduit-${shard}-`);
        dirs.push(made);
        dir = made.path;
      }
      const configFile = join(dir, 'eventsub-relay.yml');
      writeFileSync(
        configFile,
        stringify({
          subscriptions: broadcasters.map((b) => ({ type: options.type ?? 'stream.online', broadcaster: b })),
          conduit: { shards: options.shards, ...(conduitId && { id: conduitId }) },
        }),
      );
      const process = await startRelayProcess(
        {
          DATA_DIR: dir,
          CONFIG_FILE: configFile,
          TRANSPORT: 'conduit',
          ...(shard !== 'claimed' && { CONDUIT_SHARD: String(shard) }),
          EVENTSUB_WS_URL: ws.url,
          EVENTSUB_WS_BACKOFF_MS: '20',
          TWURPLE_MOCK_API_PORT: String(twitch.port),
          TWITCH_CLIENT_ID: twitch.clientId,
          TWITCH_CLIENT_SECRET: twitch.clientSecret,
          FORWARD_URL: consumer.url(`/${name}`),
          FORWARD_SECRET: TEST_WEBHOOK_SECRET,
          LOG_LEVEL: 'debug',
          ...env,
        },
        { cwd: dir },
      );
      const relayDir = dir;
      const relay: ShardRelay = {
        dir: relayDir,
        shard,
        process,
        async storedIds() {
          const store = await openStoreFor(relayDir);
          try {
            return (await store.listEvents({ limit: 1_000_000 })).map((e) => e.id);
          } finally {
            await store.close();
          }
        },
      };
      relays.push(relay);
      return relay;
    },
    async shardEnabled(conduitId, shard, notOn) {
      let session = '';
      await waitFor(
        () => {
          const found = twitch.conduits.conduits.get(conduitId)?.shards[shard];
          const transport = found?.status === 'enabled' ? found.transport : undefined;
          const id = transport?.method === 'websocket' ? transport.session_id : undefined;
          session = id && id !== notOn && ws.sessions.get(id)?.open ? id : '';
          return session !== '';
        },
        30_000,
        `shard ${shard} enabled on a session${notOn ? ` other than ${notOn}` : ''}`,
      );
      return session;
    },
    creates: () => twitch.eventSubRequests('POST'),
    async close() {
      for (const { process } of relays) {
        if (process.child.exitCode === null && process.child.signalCode === null) {
          process.child.kill('SIGTERM');
          await process.exited;
        }
      }
      await ws.stop();
      await twitch.stop();
      await consumer.close();
      for (const dir of dirs) dir.cleanup();
    },
  };
  return setup;
}
