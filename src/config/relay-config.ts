import { isAbsolute, resolve } from 'node:path';
import { parseEnv } from './parse-env.js';
import { defaultStoreUrl } from './store-location.js';
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
  /** `alerts:` (the OBS alert box), validated by the alerts room; undefined: the built-in rules. */
  alerts?: unknown;
}

/** The HTTP server: where it listens, what it accepts, how long a graceful stop may take. */
export interface ServerSettings {
  port: number;
  host: string;
  /** Also the largest WebSocket message the websocket transport accepts. */
  maxBodyBytes: number;
  trustProxy: string;
  shutdownTimeoutMs: number;
}

/** Webhooks from Twitch: the origin it calls and the secrets it signs with. */
export interface WebhookSettings {
  /** EVENTSUB_SECRET; unset, provisioning keeps one in DATA_DIR (see provisionDataDir). */
  secret?: string;
  /** EVENTSUB_PREVIOUS_SECRETS: still accepted while rotating. */
  previousSecrets: string[];
  publicUrl?: string;
}

export interface LogSettings {
  level: string;
  /** LOG_FORMAT; unset = pretty on a terminal, JSON otherwise (observability/logger resolveLogFormat). */
  format?: 'json' | 'pretty';
}

export interface StoreSettings {
  url: string;
  /** Delivered and dead events older than this are deleted (0 keeps everything). */
  retentionDays: number;
}

/** Where events go besides the config file's sinks: FORWARD_URL's http sinks. */
export interface DeliverySettings {
  /** DELIVERY_LEASE_MS: how long a claimed delivery is leased to the worker attempting it (another replica takes it over after). */
  leaseMs: number;
  forwardUrls: string[];
  /** FORWARD_SECRET; unset with FORWARD_URL, provisioning keeps one in DATA_DIR. */
  forwardSecret?: string;
}

/** Live streams (`GET /stream/<name>`): heartbeat, per-client send buffer bound, replica poll. */
export interface StreamSettings {
  heartbeatMs: number;
  maxBufferBytes: number;
  pollMs: number;
}

/** TRANSPORT=websocket: where the session connects and how it backs off. */
export interface WebSocketSettings {
  url: string;
  /** Base delay of the reconnect backoff (full jitter, doubling per failure). */
  backoffMs: number;
  /** The largest message accepted (MAX_BODY_BYTES, as for webhooks). */
  maxMessageBytes: number;
}

/** TRANSPORT=conduit: which shard of the conduit this relay serves, and as what. */
export interface ConduitShardSettings {
  /**
   * CONDUIT_SHARD: the shard this relay serves; `auto`: a free shard claimed through the store
   * (replicas on PostgreSQL); unset: `auto` on a store shared by replicas, else shard 0.
   */
  shard?: number | 'auto';
  /** CONDUIT_CLAIM_LEASE_MS: how long a claimed shard stays this replica's without a renewal (renewed every third). */
  claimLeaseMs: number;
  /** CONDUIT_SHARD_TRANSPORT: a WebSocket session of this relay, or its PUBLIC_URL/callback. */
  transport: 'websocket' | 'webhook';
}

/** The Twitch application and what the relay may do with it on its own. */
export interface TwitchSettings {
  clientId?: string;
  clientSecret?: string;
  redirectUri: string;
  /** Recreate subscriptions revoked for notification_failures_exceeded / version_removed. */
  autoResubscribe: boolean;
}

/** The web dashboard and the admin API (`/dashboard/`, `/api/`). */
export interface DashboardSettings {
  /** DASHBOARD_TOKEN; unset, provisioning keeps one in DATA_DIR/dashboard-token (0600). */
  token?: string;
}

/**
 * Everything the service needs to start, from the environment and the config file, in one slice
 * per part: each part is given its slice (`config.delivery`, `config.streams` …), not the whole.
 * Loading it creates nothing; DATA_DIR and the secrets in it are provisioned by `provisionDataDir`.
 */
export interface RelayConfig {
  /** DATA_DIR, resolved (it may not exist yet). */
  dataDir: string;
  /** How events arrive: Twitch posts to /callback, or the relay holds an EventSub WebSocket session. */
  transport: 'webhook' | 'websocket' | 'conduit';
  server: ServerSettings;
  webhook: WebhookSettings;
  log: LogSettings;
  store: StoreSettings;
  delivery: DeliverySettings;
  streams: StreamSettings;
  websocket: WebSocketSettings;
  conduit: ConduitShardSettings;
  twitch: TwitchSettings;
  dashboard: DashboardSettings;
  /** CONFIG_FILE as set (the file actually read is `file.path`). */
  configFile?: string;
  /**
   * The config file, read and validated on first use and kept (a command that never needs it, such
   * as `auth add` before the file is written, never reads it; `serve` reads it at start-up).
   */
  readonly file: LoadedConfigFile;
}

/**
 * Validates the environment and the config file (the one place either is read) into the relay's
 * config. Pure: nothing is created or written (DATA_DIR, secrets and tokens are `provisionDataDir`'s).
 */
export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const parsed = parseEnv(env);
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
  const config: Omit<RelayConfig, 'file'> = {
    dataDir,
    transport: parsed.TRANSPORT,
    server: {
      port: parsed.PORT,
      host: parsed.HOST,
      maxBodyBytes: parsed.MAX_BODY_BYTES,
      trustProxy: parsed.TRUST_PROXY,
      shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    },
    webhook: {
      ...(parsed.EVENTSUB_SECRET !== undefined && { secret: parsed.EVENTSUB_SECRET }),
      previousSecrets: parsed.EVENTSUB_PREVIOUS_SECRETS,
      ...(parsed.PUBLIC_URL && { publicUrl: parsed.PUBLIC_URL }),
    },
    log: { level: parsed.LOG_LEVEL, ...(parsed.LOG_FORMAT && { format: parsed.LOG_FORMAT }) },
    store: { url: parsed.STORE_URL ?? defaultStoreUrl(dataDir), retentionDays: parsed.RETENTION_DAYS },
    delivery: {
      leaseMs: parsed.DELIVERY_LEASE_MS,
      forwardUrls: parsed.FORWARD_URL,
      ...(parsed.FORWARD_SECRET && { forwardSecret: parsed.FORWARD_SECRET }),
    },
    streams: {
      heartbeatMs: parsed.STREAM_HEARTBEAT_MS,
      maxBufferBytes: parsed.STREAM_MAX_BUFFER_BYTES,
      pollMs: parsed.STREAM_POLL_MS,
    },
    websocket: {
      url: parsed.EVENTSUB_WS_URL,
      backoffMs: parsed.EVENTSUB_WS_BACKOFF_MS,
      maxMessageBytes: parsed.MAX_BODY_BYTES,
    },
    conduit: {
      ...(parsed.CONDUIT_SHARD !== undefined && { shard: parsed.CONDUIT_SHARD }),
      transport: parsed.CONDUIT_SHARD_TRANSPORT,
      claimLeaseMs: parsed.CONDUIT_CLAIM_LEASE_MS,
    },
    twitch: {
      ...(parsed.TWITCH_CLIENT_ID && { clientId: parsed.TWITCH_CLIENT_ID }),
      ...(parsed.TWITCH_CLIENT_SECRET && { clientSecret: parsed.TWITCH_CLIENT_SECRET }),
      redirectUri: parsed.TWITCH_REDIRECT_URI,
      autoResubscribe: parsed.AUTO_RESUBSCRIBE,
    },
    dashboard: { ...(parsed.DASHBOARD_TOKEN && { token: parsed.DASHBOARD_TOKEN }) },
    ...(parsed.CONFIG_FILE && { configFile: parsed.CONFIG_FILE }),
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
        if (raw.alerts !== undefined) file.alerts = raw.alerts;
      }
      return file;
    },
  }) as RelayConfig;
}

/**
 * The config file's subscriptions, for advice only (which scopes a user needs in total): an
 * unreadable or invalid file gives none here; `sync` and `serve` are where its errors are reported.
 */
export function subscriptionsForAdvice(config: Pick<RelayConfig, 'file'>): DesiredEntry[] {
  try {
    return config.file.subscriptions;
  } catch {
    return [];
  }
}
