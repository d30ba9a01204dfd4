import { resolve } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTempDatabase, type TempDatabase } from './pg-database.js';

/**
 * "One suite, two stores" for relay processes: with RELAY_TEST_STORE=postgres (set by
 * test/services/receiver-suites-on-postgres.test.ts) every DATA_DIR gets its own fresh PostgreSQL
 * database, and every process started on that DATA_DIR — a relay, its restart, the `events` CLI —
 * gets that database's STORE_URL. Unset, nothing changes: the default SQLite file in DATA_DIR.
 */
const databases = new Map<string, Promise<TempDatabase>>();

/** True on the PostgreSQL run of the process suites (for the few behaviours the stores do differently). */
export const testStoreIsPostgres = () => process.env.RELAY_TEST_STORE === 'postgres';

/** The DATA_DIR a process will use: env.DATA_DIR, else ./data in its working directory. */
function dataDirOf(env: Record<string, string | undefined>, cwd?: string): string {
  return resolve(cwd ?? process.cwd(), env.DATA_DIR ?? 'data');
}

/**
 * `env` with STORE_URL pointing at the database of its DATA_DIR, on PostgreSQL runs. A test that
 * sets STORE_URL itself (a bad value, or `undefined` for the default SQLite store) keeps it.
 */
export async function withTestStore(
  env: Record<string, string | undefined>,
  cwd?: string,
): Promise<Record<string, string | undefined>> {
  if (!testStoreIsPostgres() || 'STORE_URL' in env) return env;
  const key = dataDirOf(env, cwd);
  if (!databases.has(key)) databases.set(key, createTempDatabase());
  return { ...env, STORE_URL: (await databases.get(key)!).url };
}

/** Keeps the default store (SQLite in DATA_DIR) even on PostgreSQL runs: `{ ...DEFAULT_STORE, … }`. */
export const DEFAULT_STORE = { STORE_URL: undefined } as const;

/** Opens the store the relay processes on `dataDir` use, to look at what they stored. */
export async function openStoreFor(dataDir: string): Promise<Store> {
  const { STORE_URL } = await withTestStore({ DATA_DIR: dataDir });
  return openStore(STORE_URL ?? `sqlite:${resolve(dataDir, 'eventsub-relay.sqlite')}`);
}

/** Drops every database made for a DATA_DIR (afterAll of the PostgreSQL run). */
export async function dropProcessDatabases(): Promise<void> {
  const all = [...databases.values()];
  databases.clear();
  for (const database of await Promise.all(all)) await database.drop();
}
