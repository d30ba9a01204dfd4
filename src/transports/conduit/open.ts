import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
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
import type { ShardClaims } from '../../store/roles/shard-claims.js';
import { rememberedConduitId } from '../../subscriptions/conduit-memory.js';
import { startClaimedShard } from './claimed-shard.js';
import { chooseShard } from './shard-choice.js';

/** This replica's name in the claims table: which host and process holds a shard (a random part tells restarts apart). */
function replicaHolderId(): string {
  return `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
}

/** A conduit ready to serve: what `prepareConduitTransport` found and set up. */
export interface PreparedConduitTransport {
  conduitId: string;
  /** The shard CONDUIT_SHARD names, or `claimed`: one claimed through the store once started. */
  shard: number | 'claimed';
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
    /** The relay's store: shared by replicas, its ShardClaims say which replica serves which shard. */
    store: { sharedByReplicas: boolean; shardClaims?: ShardClaims };
  },
  logger: Logger,
): Promise<PreparedConduitTransport> {
  const log = logger.child({ transport: 'conduit' });
  try {
    const credentials = requireClientCredentials(config.twitch);
    const webhook = config.shard.transport === 'webhook';
    const choice = chooseShard(config.shard.shard, config.shard.transport, config.store);
    const fixedShard = choice.kind === 'fixed' ? choice.shard : 0;
    if (choice.kind === 'claimed' && !config.file.conduit?.id && !rememberedConduitId(config.dataDir))
      throw new SessionSetupError(
        'replicas claiming shards through the store need the conduit they share: run `eventsub-relay sync` once ' +
          '(it creates the conduit and prints its id), then put `conduit: { id: <the id>, shards: N }` in the config file ' +
          'every replica reads (several replicas creating one each would make several conduits)',
        true,
      );
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
      { dataDir: config.dataDir, shard: fixedShard },
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
      { conduitId: conduit.id, ...(choice.kind === 'fixed' && { shard: fixedShard }), ...ensured },
      `conduit ${conduit.id}: ${ensured.created} subscription(s) created, ${ensured.existing} already there; ` +
        (choice.kind === 'fixed'
          ? `this relay serves shard ${fixedShard} of ${conduit.shardCount}`
          : `this replica claims one of its ${conduit.shardCount} shard(s) through the store`),
    );
    const serve = (
      shard: number,
      parts: Parameters<PreparedConduitTransport['start']>[0],
      beforeAssign?: () => Promise<void>,
    ) =>
      startConduitTransport({
        settings: config.websocket,
        conduitId: conduit.id,
        shard,
        conduitApi,
        ...parts,
        ...(beforeAssign && { beforeAssign }),
      });
    return {
      conduitId: conduit.id,
      shard: choice.kind === 'fixed' ? fixedShard : 'claimed',
      start: (parts) =>
        choice.kind === 'claimed'
          ? startClaimedShard({
              claims: choice.claims,
              conduitId: conduit.id,
              shardCount: conduit.shardCount,
              holder: replicaHolderId(),
              leaseMs: config.shard.claimLeaseMs,
              logger: parts.logger,
              serve: (shard, beforeAssign) => serve(shard, parts, beforeAssign),
            })
          : webhook
            ? startWebhookShard({
                conduitId: conduit.id,
                shard: fixedShard,
                callback: `${config.publicUrl}/callback`,
                secret: config.secret,
                conduitApi,
                logger: parts.logger,
                onFatal: parts.onFatal,
              })
            : serve(fixedShard, parts),
    };
  } catch (error) {
    // A missing credential or a bad condition is not fixed by systemd restarting the service: exit 78.
    if (error instanceof AuthSetupError) Object.assign(error, { exitCode: EXIT_NEEDS_A_PERSON });
    throw error;
  }
}
