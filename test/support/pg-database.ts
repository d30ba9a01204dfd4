import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server of the development and CI machines (trust auth on 127.0.0.1). */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection a crashed relay left behind. */
  drop(): Promise<void>;
}

/** A fresh, empty database with a random name: each test gets its own schema and nothing leaks between tests. */
export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `relay_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = '/' + name;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Runs one query on its own short-lived connection to `url` (default: the admin database). */
export async function adminQuery<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
  url = PG_ADMIN_URL,
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
