import { join } from 'node:path';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { MemoryStore } from './memory-store.js';
import { createTempDatabase } from './pg-database.js';
import { tempDir } from './temp-dir.js';

/** A fresh, empty store and how to dispose of it (close, then delete its file or database). */
export interface FreshStore {
  store: Store;
  /** Opens a second handle on the same data, as another replica (or a restart) would. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

/** A fresh store a relay process can open too. */
export interface FreshStoreAtUrl extends FreshStore {
  /** STORE_URL for a relay on the same data (sqlite:<path> or postgres://…). */
  url: string;
}

export async function freshSqliteStore(): Promise<FreshStoreAtUrl> {
  const dir = tempDir();
  const path = join(dir.path, 'relay.sqlite');
  const store = SqliteStore.open(path);
  return {
    store,
    url: `sqlite:${path}`,
    reopen: async () => SqliteStore.open(path),
    dispose: async () => {
      await store.close();
      dir.cleanup();
    },
  };
}

export async function freshPostgresStore(): Promise<FreshStoreAtUrl> {
  const db = await createTempDatabase();
  const store = await PostgresStore.open(db.url);
  return {
    store,
    url: db.url,
    reopen: () => PostgresStore.open(db.url),
    dispose: async () => {
      await store.close();
      await db.drop();
    },
  };
}

/** The store of the tests, kept in memory (test/support/memory-store.ts). */
export async function freshMemoryStore(): Promise<FreshStore> {
  const store = new MemoryStore();
  return { store, reopen: async () => store.reopen(), dispose: () => store.close() };
}

/** The stores a relay process opens from STORE_URL. */
export const STORE_FACTORIES: readonly [string, () => Promise<FreshStoreAtUrl>][] = [
  ['SqliteStore', freshSqliteStore],
  ['PostgresStore', freshPostgresStore],
];
