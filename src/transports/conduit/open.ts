import { AuthSetupError, requireClientCredentials } from '../../auth/auth-errors.js';
import { createAuthProvider } from '../../auth/auth-provider.js';
import { TokenStore } from '../../auth/token-store.js';
import type {
  ConduitShardSettings,
  LoadedConfigFile,
  TwitchSettings,
  WebSocketSettings,
} from '../../config/relay-config.js';
import type { Intake } from '../../intake/port.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { ConduitApi } from '../../subscriptions/conduit-api.js';
import {
  prepareSubscription,
  resolverWithTokens,
  type PreparedSubscription,
} from '../../subscriptions/prepare.js';
import { conditionKey } from '../../subscriptions/sync-plan.js';
import { TwitchSubscriptions } from '../../subscriptions/twitch-api.js';
import { EXIT_NEEDS_A_PERSON } from '../websocket/errors.js';
import { resolveConduit } from './conduit-id.js';
import { ensureConduitSubscriptions } from './conduit-subscriptions.js';
import { shardDisabledSubscription } from '../../subscriptions/conduit-sync.js';
import { startConduitTransport, type ConduitTransport } from './conduit-transport.js';
import { startWebhookShard } from './webhook-shard.js';
import { SessionSetupError } from '../websocket/errors.js';

/** A conduit ready to serve: what `prepareConduitTransport` found and set up. */
export interface PreparedConduitTransport {
  conduitId: string;
  shard: number;
  start(parts: {
    intake: Intake;
    logger: Logger;
    metrics: Metrics;
    onFatal(error: SessionSetupError): void;
  }): ConduitTransport;
}

/**
 * Everything TRANSPORT=conduit needs before it connects, checked at start-up so a mistake stops the
 * service at once with what to do: the application's credentials (conduits take the app token),
 * the config file's subscriptions (each prepared as for a webhook: the broadcaster's consent is
 * Twitch's to check), the conduit (configured, remembered or created) with CONDUIT_SHARD among its
 * shards, and the subscriptions on it: created once here if the conduit lacks them, with
 * `conduit.shard.disabled` for the conduit beside them.
 */
export async function prepareConduitTransport(
  config: {
    websocket: WebSocketSettings;
    shard: ConduitShardSettings;
    twitch: TwitchSettings;
    /** DATA_DIR: stored broadcaster authorizations, and where a created conduit's id is kept. */
    dataDir: string;
    file: Pick<LoadedConfigFile, 'subscriptions' | 'conduit'>;
    publicUrl?: string;
    /** The current EventSub secret: a webhook shard's messages are signed with it. */
    secret: string;
  },
  logger: Logger,
): Promise<PreparedConduitTransport> {
  const log = logger.child({ transport: 'conduit' });
  try {
    const credentials = requireClientCredentials(config.twitch);
    const webhook = config.shard.transport === 'webhook';
    if (webhook && !config.publicUrl)
      throw new SessionSetupError(
        'CONDUIT_SHARD_TRANSPORT=webhook: Twitch posts the shard’s events to PUBLIC_URL/callback, and PUBLIC_URL is not set. ' +
          'Set it to the https origin nginx serves (docs/deploy.md), or use CONDUIT_SHARD_TRANSPORT=websocket (no public address)',
        true,
      );
    const tokens = new TokenStore(config.dataDir);
    const twitch = new TwitchSubscriptions(createAuthProvider(credentials, tokens));
    const conduitApi = new ConduitApi(() => twitch.api());
    const desired = config.file.subscriptions;
    const context = {
      tokens,
      resolveUser: resolverWithTokens(tokens, () => (login: string) => twitch.resolveUser(login)),
      clientId: credentials.clientId,
      desired,
    };
    const prepared = new Map<string, PreparedSubscription>();
    for (const entry of desired) {
      const one = await prepareSubscription({ ...entry }, context);
      prepared.set(conditionKey(one.wanted.type, one.wanted.condition), one);
    }
    const settings = config.file.conduit ?? { shards: 1 };
    const conduit = await resolveConduit(
      conduitApi,
      settings,
      { dataDir: config.dataDir, shard: config.shard.shard },
      log,
    );
    const health = { wanted: shardDisabledSubscription(credentials.clientId, conduit.id) };
    const ensured = await ensureConduitSubscriptions(
      conduitApi,
      twitch,
      conduit.id,
      [...prepared.values(), health],
      log,
    );
    log.info(
      { conduitId: conduit.id, shard: config.shard.shard, ...ensured },
      `conduit ${conduit.id}: ${ensured.created} subscription(s) created, ${ensured.existing} already there; ` +
        `this relay serves shard ${config.shard.shard} of ${conduit.shardCount}`,
    );
    return {
      conduitId: conduit.id,
      shard: config.shard.shard,
      start: (parts) =>
        webhook
          ? startWebhookShard({
              conduitId: conduit.id,
              shard: config.shard.shard,
              callback: `${config.publicUrl}/callback`,
              secret: config.secret,
              conduitApi,
              logger: parts.logger,
              onFatal: parts.onFatal,
            })
          : startConduitTransport({
              settings: config.websocket,
              conduitId: conduit.id,
              shard: config.shard.shard,
              conduitApi,
              ...parts,
            }),
    };
  } catch (error) {
    // A missing credential or a bad condition is not fixed by systemd restarting the service: exit 78.
    if (error instanceof AuthSetupError) Object.assign(error, { exitCode: EXIT_NEEDS_A_PERSON });
    throw error;
  }
}
