import type { ConduitSettings } from '../config/conduit-entry.js';
import type { RemoteConduit } from './conduit-api.js';
import { planSync, type PlanStep, type WantedSubscription } from './sync-plan.js';
import type { RemoteSubscription } from './twitch-api.js';

/** Twitch's limits for conduits (https://dev.twitch.tv/docs/eventsub/handling-conduit-events/, "Limits"). */
export const CONDUIT_LIMITS = { conduits: 5, shards: 20_000, maxTotalCost: 10_000 } as const;

/** The conduit's own health events: Twitch sends one when it disables a shard (docs: conduit.shard.disabled). */
export function shardDisabledSubscription(clientId: string, conduitId: string) {
  return {
    type: 'conduit.shard.disabled',
    version: '1',
    condition: { client_id: clientId, conduit_id: conduitId },
  };
}

/** What `sync` does to the conduit itself before its subscriptions. */
export type ConduitStep =
  | { action: 'create'; shards: number }
  | { action: 'keep'; conduit: RemoteConduit }
  | { action: 'grow'; conduit: RemoteConduit; shards: number };

/** A limit the plan would break: reported before anything is changed. */
export class ConduitLimitError extends Error {
  readonly userMessage: string;
  constructor(message: string) {
    super(message);
    this.name = 'ConduitLimitError';
    this.userMessage = message;
  }
}

/**
 * The conduit step: the configured or remembered conduit kept or grown to `shards` (never shrunk:
 * shards above a lower count are disabled, which would stop another relay's shard), else created —
 * refused when the client already has Twitch's 5 conduits, or when the known id is not among them.
 */
export function planConduit(
  settings: ConduitSettings,
  knownId: string | undefined,
  conduits: readonly RemoteConduit[],
): ConduitStep {
  if (knownId) {
    const conduit = conduits.find((c) => c.id === knownId);
    if (!conduit)
      throw new ConduitLimitError(
        `conduit ${knownId} is not a conduit of this application (deleted, e.g. after 72 h with every shard ` +
          "disabled, or another TWITCH_CLIENT_ID's): remove `id:` from `conduit:` (or DATA_DIR/conduit.json) to create a new one",
      );
    return conduit.shardCount < settings.shards
      ? { action: 'grow', conduit, shards: settings.shards }
      : { action: 'keep', conduit };
  }
  if (conduits.length >= CONDUIT_LIMITS.conduits)
    throw new ConduitLimitError(
      `this application already has ${conduits.length} conduits, Twitch's limit is ${CONDUIT_LIMITS.conduits}: put the id of ` +
        `one of them into \`conduit: { id: ... }\` (${conduits.map((c) => c.id).join(', ')}), or delete one you no longer use`,
    );
  return { action: 'create', shards: settings.shards };
}

/** The subscription steps on one conduit: planSync with the conduit standing in for the callback. */
export function planConduitSubscriptions(
  wanted: readonly WantedSubscription[],
  remote: readonly RemoteSubscription[],
  conduitId: string | undefined,
  prune: boolean,
): PlanStep[] {
  const owner = `conduit:${conduitId ?? '(new)'}`;
  const onConduit = remote
    .filter((s) => conduitId !== undefined && s.conduitId === conduitId)
    .map((s) => ({ ...s, callback: owner }));
  return planSync(wanted, onConduit, { callback: owner, prune, rotateSecret: false });
}

/**
 * The cost model is the webhook one (max_total_cost 10,000 for the application): a create costs at
 * most 1 (0 when the broadcaster authorized the application), so refuse a plan whose creates could
 * exceed what is left, before anything is created.
 */
export function checkCost(
  steps: readonly PlanStep[],
  listing: { totalCost: number; maxTotalCost: number },
): void {
  const creates = steps.filter((s) => s.action === 'create' || s.action === 'recreate').length;
  const left = listing.maxTotalCost - listing.totalCost;
  if (creates > left)
    throw new ConduitLimitError(
      `${creates} subscription(s) to create, but only ${left} of this application's max_total_cost ${listing.maxTotalCost} ` +
        'is left: each one not authorized by its broadcaster costs 1. Delete unused subscriptions (`eventsub-relay list`) or list fewer',
    );
}
