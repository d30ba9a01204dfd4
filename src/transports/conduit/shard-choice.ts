import type { ShardClaims } from '../../store/roles/shard-claims.js';
import { SessionSetupError } from '../websocket/errors.js';

/** Which shard a relay serves: the one CONDUIT_SHARD names, or one it claims through the store. */
export type ShardChoice = { kind: 'fixed'; shard: number } | { kind: 'claimed'; claims: ShardClaims };

/**
 * CONDUIT_SHARD=<n> serves shard n (independent relays, each with its own store). `auto`, or unset
 * on a store shared by replicas (PostgreSQL), claims a free shard through the store's ShardClaims.
 * Unset on a store one relay serves (SQLite): shard 0, as a lone relay always did. Claiming needs a
 * store with claims, and a WebSocket shard (replicas behind one PUBLIC_URL cannot each be a webhook
 * shard of their own).
 */
export function chooseShard(
  setting: number | 'auto' | undefined,
  shardTransport: 'websocket' | 'webhook',
  store: { sharedByReplicas: boolean; shardClaims?: ShardClaims },
): ShardChoice {
  if (typeof setting === 'number') return { kind: 'fixed', shard: setting };
  if (setting === undefined && !store.sharedByReplicas) return { kind: 'fixed', shard: 0 };
  if (!store.shardClaims)
    throw new SessionSetupError(
      'CONDUIT_SHARD=auto: replicas claim their shards through a store they share (STORE_URL=postgres://…), and this ' +
        'store serves one relay. Set CONDUIT_SHARD to a shard id (0 … conduit.shards − 1), or use PostgreSQL',
      true,
    );
  if (shardTransport === 'webhook')
    throw new SessionSetupError(
      'CONDUIT_SHARD_TRANSPORT=webhook with shards claimed through the store (CONDUIT_SHARD unset or auto on PostgreSQL): ' +
        'a webhook shard is one PUBLIC_URL, so replicas claim WebSocket shards only. Set CONDUIT_SHARD to a shard id ' +
        'for a webhook shard, or use CONDUIT_SHARD_TRANSPORT=websocket',
      true,
    );
  return { kind: 'claimed', claims: store.shardClaims };
}
