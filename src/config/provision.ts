import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { eventSubSecretSchema } from './env-schema.js';
import { ConfigError } from './errors.js';
import type { DashboardSettings, DeliverySettings, RelayConfig } from './relay-config.js';
import { provisionDashboardToken, type DashboardToken } from './dashboard-token.js';
import {
  generateEventSubSecret,
  generateWebhookSecret,
  loadOrCreateSecret,
  type PersistedSecret,
} from './secret-file.js';

/** The files provisioning keeps in DATA_DIR (mode 0600). */
export const SECRET_FILE_NAME = 'eventsub-secret';
export const FORWARD_SECRET_FILE = 'forward-secret';
/** The file that keeps a generated token for stream `name`. */
export const streamTokenFileName = (name: string): string => `stream-token-${name}`;

/** 43 URL-safe characters (256 bits): fits `?token=` without escaping. */
export const generateStreamToken = (): string => randomBytes(32).toString('base64url');

/** The EventSub secrets the relay verifies with, and where the current one is kept. */
export interface EventSubSecrets {
  /** Current secret first, then EVENTSUB_PREVIOUS_SECRETS (still accepted while rotating). */
  secrets: string[];
  /** Set when the current secret is kept in DATA_DIR (EVENTSUB_SECRET unset); `generated` on its first start. */
  file?: PersistedSecret;
}

/** What DATA_DIR holds for a relay about to start: its folder, secrets and stream tokens. */
export interface ProvisionedDataDir {
  eventSub: EventSubSecrets;
  /** FORWARD_SECRET, else the one kept in DATA_DIR; undefined without FORWARD_URL. */
  forwardSecret?: { value: string; file?: PersistedSecret };
  /** Tokens of the streams whose entry names none, by stream name. */
  streamTokens: ReadonlyMap<string, PersistedSecret>;
  /** DASHBOARD_TOKEN, else the one kept in DATA_DIR/dashboard-token: it opens /api and /dashboard/. */
  dashboardToken: DashboardToken;
}

/** Creates DATA_DIR (0700) when missing; a folder that cannot be created is a ConfigError naming it. */
export function createDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(
      'DATA_DIR',
      `cannot create ${dataDir} (${(error as Error).message}); choose a writable folder`,
    );
  }
}

/**
 * The EventSub secret: EVENTSUB_SECRET, else the one in DATA_DIR, else a new one generated there
 * (mode 0600) and reused on every later start. For the relay and for the commands that create
 * subscriptions with it (`subscribe`, `sync`).
 */
export function provisionEventSubSecret(config: Pick<RelayConfig, 'dataDir' | 'webhook'>): EventSubSecrets {
  const { secret, previousSecrets } = config.webhook;
  if (secret !== undefined) return { secrets: [secret, ...previousSecrets] };
  createDataDir(config.dataDir);
  const file = loadOrCreateSecret(config.dataDir, SECRET_FILE_NAME, generateEventSubSecret);
  const check = eventSubSecretSchema.safeParse(file.value);
  if (!check.success)
    throw new ConfigError(file.path, `${check.error.issues[0]?.message}; fix or delete the file`);
  return { secrets: [file.value, ...previousSecrets], file };
}

/**
 * The one step that writes before a relay starts: DATA_DIR, the EventSub secret, FORWARD_URL's
 * signing secret, the tokens of `streamsWithoutToken` and the dashboard token, each generated once (0600) and read back
 * on later starts so nothing handed out changes. Call it after the config is validated, so a
 * mistake in it creates nothing.
 */
export function provisionDataDir(
  config: Pick<RelayConfig, 'dataDir' | 'webhook'> & {
    delivery: Pick<DeliverySettings, 'forwardUrls' | 'forwardSecret'>;
    dashboard?: DashboardSettings;
  },
  streamsWithoutToken: readonly string[] = [],
): ProvisionedDataDir {
  createDataDir(config.dataDir);
  const eventSub = provisionEventSubSecret(config);
  const { forwardUrls, forwardSecret } = config.delivery;
  let forward: ProvisionedDataDir['forwardSecret'];
  if (forwardUrls.length > 0) {
    const file = forwardSecret
      ? undefined
      : loadOrCreateSecret(config.dataDir, FORWARD_SECRET_FILE, generateWebhookSecret);
    forward = { value: forwardSecret ?? file!.value, ...(file && { file }) };
  }
  const streamTokens = new Map(
    streamsWithoutToken.map((name) => [
      name,
      loadOrCreateSecret(config.dataDir, streamTokenFileName(name), generateStreamToken),
    ]),
  );
  const dashboardToken = provisionDashboardToken(config.dataDir, config.dashboard ?? {});
  return { eventSub, ...(forward && { forwardSecret: forward }), streamTokens, dashboardToken };
}
