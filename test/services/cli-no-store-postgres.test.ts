import { afterAll, describe, expect, it } from '@jest/globals';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { adminQuery, createTempDatabase, type TempDatabase } from '../support/pg-database.js';
import { runCli } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

const databases: TempDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

const tables = async (db: TempDatabase) =>
  (
    await adminQuery<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
      [],
      db.url,
    )
  )[0]!.n;

describe('read-only commands on a PostgreSQL STORE_URL that holds no store', () => {
  it('events list and doctor say so and create no table; once a relay migrated it, --verbose names it', async () => {
    const db = await createTempDatabase();
    databases.push(db);
    const dir = tempDir();
    const env = { DATA_DIR: dir.path, STORE_URL: db.url, EVENTSUB_SECRET: 'pg-no-store-secret-1' };
    const list = await runCli(['events', 'list'], env);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain(`no eventsub-relay store at PostgreSQL ${db.url} (STORE_URL)`);
    const doctor = await runCli(['doctor', '--json', '--timeout', '1000'], env);
    const store = (
      JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string; detail: string }> }
    ).checks.find((check) => check.id === 'store');
    expect(store).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no eventsub-relay store at PostgreSQL'),
    });
    expect(await tables(db)).toBe(0);

    await (await PostgresStore.open(db.url)).close(); // what a relay's start does: migrate
    const verbose = await runCli(['events', 'list', '--verbose'], env);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toBe('no events match\n');
    expect(verbose.stderr).toBe(`store: PostgreSQL ${db.url} (STORE_URL)\n`);
    dir.cleanup();
  });
});
