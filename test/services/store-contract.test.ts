import { freshPostgresStore } from '../support/store-factories.js';
import { describeStoreContract } from '../support/store-contract.js';

// SQLite and the memory store run the same cases in the unit project (test/integration/store-contract.test.ts).
describeStoreContract('PostgresStore', freshPostgresStore, { shardClaims: true });
