import type pg from 'pg';
import { PG_MIGRATIONS } from './schema.js';

/** Arbitrary but fixed key: every replica takes the same advisory lock while it migrates. */
const MIGRATION_LOCK_KEY = 0x65766e74; // "evnt"

/**
 * Applies pending migrations, each in its own transaction. Replicas starting at the same moment
 * serialize on a session advisory lock, so the second one finds the schema already current instead
 * of racing the first into "relation already exists".
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version INTEGER PRIMARY KEY,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ current: number }>(
        'SELECT COALESCE(MAX(version), 0)::int AS current FROM schema_migrations',
      );
      for (let version = rows[0]?.current ?? 0; version < PG_MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(PG_MIGRATIONS[version] as string);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
