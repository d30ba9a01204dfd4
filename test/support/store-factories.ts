import { join } from 'node:path';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createTempDatabase } from './pg-database.js';
import { tempDir } from './temp-dir.js';

/** A fresh, empty store and how to dispose of it (close, then delete its file or database). */
export interface FreshStore {
  store: Store;
  /** STORE_URL for a relay on the same data (sqlite:<path> or postgres://…). */
  url: string;
  /** Opens a second handle on the same data, as another replica (or a restart) would. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

/** One entry per Store implementation: the contract suite runs every case against each. */
export const STORE_FACTORIES: readonly [string, () => Promise<FreshStore>][] = [
  [
    'SqliteStore',
    async () => {
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
    },
  ],
  [
    'PostgresStore',
    async () => {
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
    },
  ],
];
