import type { ConduitApi } from '../../subscriptions/conduit-api.js';
import { conditionKey, type WantedSubscription } from '../../subscriptions/sync-plan.js';
import type { RemoteSubscription, TwitchSubscriptions } from '../../subscriptions/twitch-api.js';
import { TwitchCallError } from '../../subscriptions/twitch-errors.js';
import type { Logger } from '../../observability/logger.js';

/** What ensuring the conduit's subscriptions did. */
export interface EnsuredSubscriptions {
  created: number;
  existing: number;
}

/**
 * Creates on the conduit each listed subscription Twitch does not already have there, once, at
 * start-up: the subscriptions belong to the conduit and outlive every reconnect of every shard,
 * so nothing is created again later. A 409 (created meanwhile, e.g. by another relay of the same
 * conduit) is the state we want.
 */
export async function ensureConduitSubscriptions(
  conduitApi: ConduitApi,
  listing: Pick<TwitchSubscriptions, 'listAll'>,
  conduitId: string,
  wanted: readonly { wanted: WantedSubscription; entry?: { batching?: unknown } }[],
  logger: Logger,
): Promise<EnsuredSubscriptions> {
  const live = (await listing.listAll()).subscriptions.filter(
    (s: RemoteSubscription) => s.conduitId === conduitId && s.status === 'enabled',
  );
  const have = new Set(live.map((s) => conditionKey(s.type, s.condition)));
  const result = { created: 0, existing: 0 };
  for (const { wanted: sub, entry } of wanted) {
    if (have.has(conditionKey(sub.type, sub.condition))) {
      result.existing++;
      continue;
    }
    try {
      await conduitApi.subscribe(conduitId, sub, Boolean(entry?.batching));
      result.created++;
      logger.info(
        { type: sub.type, condition: sub.condition },
        `created ${sub.type} v${sub.version} on the conduit`,
      );
    } catch (error) {
      if (!(error instanceof TwitchCallError && error.status === 409)) throw error;
      result.existing++;
    }
    have.add(conditionKey(sub.type, sub.condition));
  }
  return result;
}
