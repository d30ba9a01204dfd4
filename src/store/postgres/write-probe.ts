import type pg from 'pg';

/**
 * One small write that needs what an event insert needs — a live connection to a primary, a
 * transaction id, a new page in a relation file (a temporary table, so no schema of ours is
 * touched and nothing is left behind) and a commit — for readiness to check after a failed write.
 * A full tablespace fails it with "could not extend file", a standby with "read-only transaction".
 */
export async function probeWrite(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('CREATE TEMPORARY TABLE eventsub_relay_write_probe (x integer) ON COMMIT DROP');
    await client.query('INSERT INTO eventsub_relay_write_probe VALUES (1)');
    await client.query('COMMIT');
  } catch (error) {
    // Never hand a connection in an unknown transaction state back to the pool.
    client.release(true);
    throw error;
  }
  client.release();
}
