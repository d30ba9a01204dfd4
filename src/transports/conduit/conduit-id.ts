import type { ConduitSettings } from '../../config/conduit-entry.js';
import type { ConduitApi, RemoteConduit } from '../../subscriptions/conduit-api.js';
import type { Logger } from '../../observability/logger.js';
import { SessionSetupError } from '../websocket/errors.js';
import { ConduitLimitError, planConduit } from '../../subscriptions/conduit-sync.js';
import {
  CONDUIT_ID_FILE,
  rememberConduitId,
  rememberedConduitId,
} from '../../subscriptions/conduit-memory.js';

/**
 * The conduit this relay serves: `conduit.id` from the config file, else the one it created before
 * (DATA_DIR/conduit.json), else a new one with `conduit.shards` shards, remembered there. A
 * remembered conduit Twitch no longer has (deleted after 72 h with every shard disabled) is
 * replaced by a new one; a configured one is an error, because someone else may own its shards.
 * A conduit with fewer shards than configured is grown (shards are never removed here: that would
 * disable another relay's shard); CONDUIT_SHARD must be one of its shards.
 */
export async function resolveConduit(
  api: ConduitApi,
  settings: ConduitSettings,
  place: { dataDir: string; shard: number },
  logger: Logger,
): Promise<RemoteConduit> {
  const configured = settings.id;
  const id = configured ?? rememberedConduitId(place.dataDir);
  const conduits = await api.list();
  let conduit = id ? conduits.find((c) => c.id === id) : undefined;
  if (id && !conduit) {
    if (configured)
      throw new SessionSetupError(
        `conduit.id ${configured} is not a conduit of this application (Twitch lists it under no conduit: deleted, ` +
          'or created with another TWITCH_CLIENT_ID). Remove `id:` from `conduit:` in the config file to let the relay ' +
          'create one, or put the id `eventsub-relay list` shows',
        true,
      );
    logger.warn(
      { conduitId: id },
      `conduit ${id} (remembered in DATA_DIR) no longer exists on Twitch; creating a new one`,
    );
  }
  if (!conduit) {
    // Twitch's 5 conduits per application: refused here, naming the ones to reuse, before creating anything.
    try {
      planConduit(settings, undefined, conduits);
    } catch (error) {
      if (error instanceof ConduitLimitError) throw new SessionSetupError(error.message, true);
      throw error;
    }
    conduit = await api.create(Math.max(settings.shards, place.shard + 1));
    rememberConduitId(place.dataDir, conduit.id);
    logger.info(
      { conduitId: conduit.id, shards: conduit.shardCount },
      `created conduit ${conduit.id} with ${conduit.shardCount} shard(s); its id is kept in DATA_DIR/${CONDUIT_ID_FILE} ` +
        '(other relays serving it need `conduit: { id: ... }` in their config file)',
    );
  }
  if (conduit.shardCount < settings.shards) {
    conduit = await api.resize(conduit.id, settings.shards);
    logger.info(
      { conduitId: conduit.id, shards: conduit.shardCount },
      `conduit grown to ${conduit.shardCount} shards`,
    );
  }
  if (place.shard >= conduit.shardCount)
    throw new SessionSetupError(
      `CONDUIT_SHARD=${place.shard}, but conduit ${conduit.id} has ${conduit.shardCount} shard(s) (ids 0..${conduit.shardCount - 1}). ` +
        `Set CONDUIT_SHARD to one of them, or raise \`conduit: { shards: ${place.shard + 1} }\` in the config file`,
      true,
    );
  return conduit;
}
