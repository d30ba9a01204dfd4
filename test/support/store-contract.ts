import { afterEach, beforeEach, describe } from '@jest/globals';
import type { FreshStore } from './store-factories.js';
import { deliveryQueueCases } from './store-contract/delivery-queue.js';
import { eventInspectorCases } from './store-contract/event-inspector.js';
import { eventLogCases } from './store-contract/event-log.js';
import { noShardClaimsCase, shardClaimsCases } from './store-contract/shard-claims.js';
import { storeMaintenanceCases } from './store-contract/store-maintenance.js';

/**
 * The Store contract: what every implementation must do, role by role, each case on a fresh store
 * from `open` (some cases use more than their role to set up or look). Run against SQLite and the
 * memory store (test/integration/store-contract.test.ts) and PostgreSQL
 * (test/services/store-contract.test.ts); a store of your own can run it too.
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<FreshStore>,
  /** Whether the store has the optional ShardClaims role (conduit shards claimed by replicas). */
  roles: { shardClaims: boolean },
): void {
  describe(`Store contract: ${name}`, () => {
    let fresh: FreshStore;
    beforeEach(async () => {
      fresh = await open();
    });
    afterEach(() => fresh.dispose());

    describe('EventLog', () => eventLogCases(() => fresh));
    describe('DeliveryQueue', () => deliveryQueueCases(() => fresh));
    describe('EventInspector', () => eventInspectorCases(() => fresh));
    describe('StoreMaintenance', () => storeMaintenanceCases(() => fresh));
    describe('ShardClaims', () =>
      roles.shardClaims ? shardClaimsCases(() => fresh) : noShardClaimsCase(() => fresh));
  });
}
