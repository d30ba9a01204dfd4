import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { PROBE_AFTER_FAILURE_MS, WriteHealth } from '../../src/store/write-health.js';

/** A real SQLite error of this code, as better-sqlite3 throws it. */
const sqliteError = (code: string) => new Database.SqliteError(`${code} from the test`, code);
/** A PostgreSQL error as pg reports it: the SQLSTATE in `code`. */
const pgError = (code: string) => Object.assign(new Error(`SQLSTATE ${code}`), { code });

function healthAt(start = 1_000_000) {
  const clock = { now: start };
  return { health: new WriteHealth(() => clock.now), clock };
}

describe('WriteHealth: readiness follows the outcome of the last write', () => {
  it.each([
    ['SQLite: disk full', sqliteError('SQLITE_FULL')],
    ['SQLite: write I/O error (a read-only file system)', sqliteError('SQLITE_IOERR_WRITE')],
    ['SQLite: read-only', sqliteError('SQLITE_READONLY')],
    ['PostgreSQL: disk full', pgError('53100')],
    ['PostgreSQL: connection ended by the server', pgError('57P01')],
    ['a connection error without a code', new Error('Connection terminated unexpectedly')],
  ])('%s makes it unready until a write succeeds', async (_label, error) => {
    const { health } = healthAt();
    await expect(health.track(Promise.reject(error))).rejects.toBe(error);
    await expect(health.recheck(async () => undefined)).rejects.toBe(error);
    await health.track(Promise.resolve('stored'));
    await expect(health.recheck(async () => undefined)).resolves.toBeUndefined();
  });

  it.each([
    ['SQLite: a constraint', sqliteError('SQLITE_CONSTRAINT_UNIQUE')],
    ['SQLite: a value too big', sqliteError('SQLITE_TOOBIG')],
    ['PostgreSQL: a data exception (22P05)', pgError('22P05')],
    ['PostgreSQL: an integrity constraint (23505)', pgError('23505')],
    ['a value too deep to serialise', new RangeError('Maximum call stack size exceeded')],
  ])('%s is about that one write: the store stays ready', async (_label, error) => {
    const { health } = healthAt();
    await expect(health.track(Promise.reject(error))).rejects.toBe(error);
    await expect(health.recheck(async () => undefined)).resolves.toBeUndefined();
  });

  it('after a failure it waits before probing, then follows the probe', async () => {
    const { health, clock } = healthAt();
    const full = sqliteError('SQLITE_FULL');
    await health.track(Promise.reject(full)).catch(() => undefined);
    let probes = 0;
    const failingProbe = async () => {
      probes++;
      throw sqliteError('SQLITE_FULL');
    };
    clock.now += PROBE_AFTER_FAILURE_MS - 1;
    await expect(health.recheck(failingProbe)).rejects.toBe(full);
    expect(probes).toBe(0);

    clock.now += 1;
    await expect(health.recheck(failingProbe)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(probes).toBe(1);
    // The probe's own failure starts the wait again.
    await expect(health.recheck(failingProbe)).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(probes).toBe(1);

    clock.now += PROBE_AFTER_FAILURE_MS;
    await expect(health.recheck(async () => 'written')).resolves.toBeUndefined();
    await expect(health.recheck(failingProbe)).resolves.toBeUndefined();
    expect(probes).toBe(1);
  });
});
