import type { DeliveryQueue } from './roles/delivery-queue.js';
import type { EventInspector } from './roles/event-inspector.js';
import type { EventLog } from './roles/event-log.js';
import type { ShardClaims } from './roles/shard-claims.js';
import type { StoreMaintenance } from './roles/store-maintenance.js';

export * from './records.js';
export {
  claimSlotsOf,
  type ClaimLimit,
  type ClaimSlots,
  type DeliveryQueue,
} from './roles/delivery-queue.js';
export type { EventInspector } from './roles/event-inspector.js';
export type { EventLog } from './roles/event-log.js';
export type { ReplicaSharing } from './roles/replica-sharing.js';
export type { ShardClaim, ShardClaims } from './roles/shard-claims.js';
export type { StoreMaintenance } from './roles/store-maintenance.js';

/**
 * Durable storage for received events and their per-sink deliveries, made of the roles its callers
 * use: the intake and live streams take the `EventLog`, the delivery worker the `DeliveryQueue`, the
 * CLI's `events` commands and doctor the `EventInspector`, retention and readiness
 * `StoreMaintenance`. Only the composition (startRelay) holds the whole `Store`. Every method is
 * async so a networked store (PostgreSQL, for several replicas) implements the same contract.
 *
 * One capability is declared, not sniffed from STORE_URL: `sharedByReplicas` (see ReplicaSharing).
 * It decides the two behaviours that differ between a store one process serves and a shared one:
 * live streams poll a shared store for what other replicas stored, and `releaseAllClaims` clears
 * leases only on a store nobody else uses (on a shared one it is a no-op that returns 0, so the
 * serving process calls it unconditionally).
 *
 * One role is optional: `shardClaims`, which conduit shards replicas hold (ShardClaims). A store
 * shared by replicas has it (PostgreSQL), so replicas of TRANSPORT=conduit claim shards through it;
 * a store without it (SQLite) serves one relay, which serves the shard CONDUIT_SHARD names.
 *
 * Every implementation passes the same contract suite (test/support/store-contract.ts): SQLite,
 * PostgreSQL, and the in-memory store of the tests, which shows what a store of your own must do.
 */
export interface Store extends EventLog, DeliveryQueue, EventInspector, StoreMaintenance {
  /** Conduit shards claimed by replicas under a lease; absent on a store one relay serves. */
  readonly shardClaims?: ShardClaims;
}
