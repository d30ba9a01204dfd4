import { ConfigError } from '../config/errors.js';
import type { Store } from './store.js';

/**
 * Opens the store named by STORE_URL: `sqlite:<path>` (embedded default) (embedded default).
 * Drivers are imported lazily so only the chosen one is loaded.
 */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return SqliteStore.open(url.slice('sqlite:'.length));
  }
  throw new ConfigError('STORE_URL', 'must start with sqlite: (e.g. sqlite:./data/relay.sqlite)');
}
