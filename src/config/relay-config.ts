import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { parseEnv } from './parse-env.js';
import { eventSubSecretSchema } from './env-schema.js';
import { generateEventSubSecret, loadOrCreateSecret, type PersistedSecret } from './secret-file.js';
import { loadConfigFile } from './config-file.js';
import { parseDesired, type DesiredEntry } from './subscription-entries.js';
import { parseConduit, type ConduitSettings } from './conduit-entry.js';

/** The config file, read once at start-up: its sinks (validated against their kinds where they are built) and subscriptions. */
export interface LoadedConfigFile {
  /** Where it was read from; undefined when there is no file. */
  path?: string;
  /** `sinks:` entries, each checked against its kind's schema by the relay that builds them. */
  sinks: unknown[];
  subscriptions: DesiredEntry[];
  /** `streams:` entries (live SSE streams), validated by the stream room that serves them. */
  streams: unknown[];
  /** `conduit:` (TRANSPORT=conduit): the conduit's id, if known, and its shard count. */
  conduit?: ConduitSettings;
}

/** Everything the service needs to start, resolved from the environment and DATA_DIR. */
export interface RelayConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Current secret first, then previous ones still accepted while rotating. */
  secrets: string[];
  /** Set when the secret was generated into or read from DATA_DIR rather than given in EVENTSUB_SECRET. */
  secretFile?: PersistedSecret;
  publicUrl?: string;
  logLevel: string;
  /** LOG_FORMAT; unset = pretty on a terminal, JSON otherwise (observability/logger resolveLogFormat). */
  logFormat?: 'json' | 'pretty';
  storeUrl: string;
  maxBodyBytes: number;
  trustProxy: string;
  shutdownTimeoutMs: number;
  /** CONFIG_FILE as set (the file actually read is `file.path`). */
  configFile?: string;
  /**
   * The config file, read and validated on first use and kept (a command that never needs it, such
   * as `auth add` before the file is written, never reads it; `serve` reads it at start-up).
   */
  readonly file: LoadedConfigFile;
  forwardUrls: string[];
  forwardSecret?: string;
  twitch: { clientId?: string; clientSecret?: string; redirectUri: string };
  autoResubscribe: boolean;
  /** How long a claimed delivery is leased to the worker attempting it (another replica takes it over after). */
  deliveryLeaseMs: number;
  retentionDays: number;
  /** Live streams (`GET /stream/<name>`): heartbeat, per-client send buffer bound, replica poll. */
  stream: { heartbeatMs: number; maxBufferBytes: number; pollMs: number };
  /** How events arrive: Twitch posts to /callback, or the relay holds an EventSub WebSocket session. */
  transport: 'webhook' | 'websocket' | 'conduit';
  /** TRANSPORT=conduit: the shard of the conduit this relay serves (CONDUIT_SHARD). */
  conduitShard: number;
  /** TRANSPORT=conduit: the shard is a WebSocket session of this relay, or its PUBLIC_URL/callback. */
  conduitShardTransport: 'websocket' | 'webhook';
  /** Where the websocket transport connects (TRANSPORT=websocket). */
  eventSubWsUrl: string;
  /** Base delay of the websocket transport's reconnect backoff (full jitter, doubling per failure). */
  wsBackoffMs: number;
}

export const SECRET_FILE_NAME = 'eventsub-secret';

/** Default store: one SQLite file inside DATA_DIR. */
export function defaultStoreUrl(dataDir: string): string {
  return 'sqlite:' + join(dataDir, 'eventsub-relay.sqlite');
}

/**
 * Validates the environment and the config file (the one place either is read), creates DATA_DIR,
 * and resolves the EventSub secret (from EVENTSUB_SECRET, else from DATA_DIR, else newly generated
 * there with mode 0600).
 */
export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const parsed = parseEnv(env);
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(
      'DATA_DIR',
      `cannot create ${dataDir} (${(error as Error).message}); choose a writable folder`,
    );
  }

  let current = parsed.EVENTSUB_SECRET;
  let secretFile: PersistedSecret | undefined;
  if (current === undefined) {
    secretFile = loadOrCreateSecret(dataDir, SECRET_FILE_NAME, generateEventSubSecret);
    const check = eventSubSecretSchema.safeParse(secretFile.value);
    if (!check.success) {
      throw new ConfigError(secretFile.path, `${check.error.issues[0]?.message}; fix or delete the file`);
    }
    current = secretFile.value;
  }

  const config: Omit<RelayConfig, 'file'> = {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir,
    secrets: [current, ...parsed.EVENTSUB_PREVIOUS_SECRETS],
    ...(secretFile && { secretFile }),
    ...(parsed.PUBLIC_URL && { publicUrl: parsed.PUBLIC_URL }),
    logLevel: parsed.LOG_LEVEL,
    ...(parsed.LOG_FORMAT && { logFormat: parsed.LOG_FORMAT }),
    storeUrl: parsed.STORE_URL ?? defaultStoreUrl(dataDir),
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    trustProxy: parsed.TRUST_PROXY,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    ...(parsed.CONFIG_FILE && { configFile: parsed.CONFIG_FILE }),
    forwardUrls: parsed.FORWARD_URL,
    ...(parsed.FORWARD_SECRET && { forwardSecret: parsed.FORWARD_SECRET }),
    twitch: {
      ...(parsed.TWITCH_CLIENT_ID && { clientId: parsed.TWITCH_CLIENT_ID }),
      ...(parsed.TWITCH_CLIENT_SECRET && { clientSecret: parsed.TWITCH_CLIENT_SECRET }),
      redirectUri: parsed.TWITCH_REDIRECT_URI,
    },
    autoResubscribe: parsed.AUTO_RESUBSCRIBE,
    deliveryLeaseMs: parsed.DELIVERY_LEASE_MS,
    retentionDays: parsed.RETENTION_DAYS,
    stream: {
      heartbeatMs: parsed.STREAM_HEARTBEAT_MS,
      maxBufferBytes: parsed.STREAM_MAX_BUFFER_BYTES,
      pollMs: parsed.STREAM_POLL_MS,
    },
    transport: parsed.TRANSPORT,
    eventSubWsUrl: parsed.EVENTSUB_WS_URL,
    wsBackoffMs: parsed.EVENTSUB_WS_BACKOFF_MS,
    conduitShard: parsed.CONDUIT_SHARD,
    conduitShardTransport: parsed.CONDUIT_SHARD_TRANSPORT,
  };
  return withConfigFile(config, () => loadConfigFile(parsed.CONFIG_FILE, env));
}

/**
 * Adds the lazily read `file` (not enumerable: spreading or logging the config never reads it).
 * The one place the config file is read.
 */
function withConfigFile(config: Omit<RelayConfig, 'file'>, read: () => ReturnType<typeof loadConfigFile>) {
  let file: LoadedConfigFile | undefined;
  return Object.defineProperty(config, 'file', {
    get(): LoadedConfigFile {
      if (!file) {
        const raw = read();
        file = {
          ...(raw.path && { path: raw.path }),
          sinks: raw.sinks ?? [],
          subscriptions: parseDesired(raw.subscriptions),
          streams: raw.streams ?? [],
        };
        const conduit = parseConduit(raw.conduit);
        if (conduit) file.conduit = conduit;
      }
      return file;
    },
  }) as RelayConfig;
}

/**
 * The config file's subscriptions, for advice only (which scopes a user needs in total): an
 * unreadable or invalid file gives none here; `sync` and `serve` are where its errors are reported.
 */
export function subscriptionsForAdvice(config: RelayConfig): DesiredEntry[] {
  try {
    return config.file.subscriptions;
  } catch {
    return [];
  }
}
