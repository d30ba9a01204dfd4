import { freshMemoryStore, freshSqliteStore } from '../support/store-factories.js';
import { describeStoreContract } from '../support/store-contract.js';

// PostgreSQL runs the same cases in the services project (test/services/store-contract.test.ts).
describeStoreContract('SqliteStore', freshSqliteStore, { shardClaims: false });
describeStoreContract('MemoryStore (a store of your own)', freshMemoryStore, { shardClaims: true });
