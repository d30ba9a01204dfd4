import { ConfigError } from '../config/errors.js';
import type { Store } from './store.js';

/**
 * Opens the store named by STORE_URL: `sqlite:<path>` (embedded default) or
 * `postgres://…` / `postgresql://…` (one database shared by several replicas).
 * Drivers are imported lazily so only the chosen one is loaded.
 */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return SqliteStore.open(url.slice('sqlite:'.length));
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open(url);
  }
  throw new ConfigError(
    'STORE_URL',
    'must start with sqlite: (e.g. sqlite:./data/relay.sqlite) or postgres:// (e.g. postgres://relay:pass@127.0.0.1:5432/relay)',
  );
}
