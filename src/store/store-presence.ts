import { existsSync, statSync } from 'node:fs';
import type pg from 'pg';
import { parseStoreUrl } from './store-url.js';

/** Runs `query` on one short-lived connection to the PostgreSQL store (nothing is created). */
async function withClient<T>(url: string, query: (client: pg.Client) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: a SQLite store's commands never need the PostgreSQL client.
  const { default: postgres } = await import('pg');
  const client = new postgres.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    return await query(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether a relay ever created its store at STORE_URL, checked without creating it (no file, no
 * tables). True for a URL no store understands: opening it explains what STORE_URL must be.
 * Rejects when a PostgreSQL server cannot be reached.
 */
export async function storeExists(storeUrl: string): Promise<boolean> {
  const url = parseStoreUrl(storeUrl);
  if (!url) return true;
  if (url.kind === 'sqlite') return existsSync(url.path);
  return withClient(url.url, async (client) => {
    const { rows } = await client.query<{ found: boolean }>(
      `SELECT to_regclass('events') IS NOT NULL AND to_regclass('schema_migrations') IS NOT NULL AS found`,
    );
    return rows[0]?.found === true;
  });
}

/** The SQLite file with its WAL, or the PostgreSQL database, in bytes. */
export async function storeSizeBytes(storeUrl: string): Promise<number> {
  const url = parseStoreUrl(storeUrl);
  if (!url) return 0;
  if (url.kind === 'sqlite') {
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    return size(url.path) + size(`${url.path}-wal`);
  }
  return withClient(url.url, async (client) => {
    const { rows } = await client.query<{ size: string }>(
      'SELECT pg_database_size(current_database()) AS size',
    );
    return Number(rows[0]?.size ?? 0);
  });
}
