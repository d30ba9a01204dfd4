import { ConfigError } from '../config/errors.js';
import type { Store } from './store.js';
import { parseStoreUrl } from './store-url.js';

export interface OpenStoreOptions {
  /** Called with errors that happen outside any request (e.g. PostgreSQL dropping an idle connection). */
  onBackgroundError?: (error: Error) => void;
}

/**
 * Opens the store named by STORE_URL: `sqlite:<path>` (embedded default) or
 * `postgres://…` / `postgresql://…` (one database shared by several replicas).
 * Drivers are imported lazily so only the chosen one is loaded.
 */
export async function openStore(storeUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const url = parseStoreUrl(storeUrl);
  if (url?.kind === 'sqlite') {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    const { path } = url;
    try {
      return SqliteStore.open(path);
    } catch (error) {
      throw sqliteOpenError(error as NodeJS.ErrnoException, path);
    }
  }
  if (url?.kind === 'postgres') {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open(url.url, options);
  }
  throw new ConfigError(
    'STORE_URL',
    'must start with sqlite: (e.g. sqlite:./data/relay.sqlite) or postgres:// (e.g. postgres://relay:pass@127.0.0.1:5432/relay)',
  );
}

/** Errors that mean "this path cannot hold the database": a folder that cannot be made, no rights, not SQLite. */
const UNUSABLE_PATH = new Set([
  'EEXIST',
  'ENOTDIR',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOENT',
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_READONLY',
  'SQLITE_PERM',
]);

/** An unusable SQLite path becomes a ConfigError naming STORE_URL; anything else stays as it is. */
function sqliteOpenError(error: NodeJS.ErrnoException, path: string): Error {
  if (!error.code || !UNUSABLE_PATH.has(error.code)) return error;
  return new ConfigError(
    'STORE_URL',
    `cannot open the SQLite file ${path} (${error.code}: ${error.message}); use sqlite:<path> in a folder this user can create and write (default: DATA_DIR/eventsub-relay.sqlite)`,
  );
}
