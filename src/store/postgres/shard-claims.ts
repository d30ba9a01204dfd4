import type pg from 'pg';
import type { ShardClaim, ShardClaims } from '../roles/shard-claims.js';
import { DB_NOW_MS } from './sql-params.js';

/**
 * Conduit shard claims in the `conduit_shard_claims` table: one row per shard (its primary key), so
 * a shard has one holder at most by construction, and every change is one statement whose
 * condition is checked against the row as it is when the statement gets it (a concurrent claim
 * waits on the row lock, then sees the winner's fresh lease and takes nothing). Leases are measured
 * on the database's clock, the one clock every replica shares.
 */
export class PostgresShardClaims implements ShardClaims {
  constructor(private readonly pool: pg.Pool) {}

  async claimShard(
    conduitId: string,
    shardCount: number,
    holder: string,
    leaseMs: number,
  ): Promise<number | null> {
    // `mine`: the holder's own live claim is renewed and returned. Otherwise `taken`: the lowest shard
    // without a live lease is inserted, or its dead row taken over, but only while that row's lease
    // is still over when the row is locked (ON CONFLICT … WHERE): of two replicas racing for the same
    // shard one wins and the other gets no row (it tries again on its next tick).
    const { rows } = await this.pool.query<{ shard: number }>(
      `WITH clock AS (SELECT ${DB_NOW_MS} AS now_ms),
       mine AS (
         UPDATE conduit_shard_claims c SET lease_until = clock.now_ms + $4::bigint
         FROM clock
         WHERE c.conduit_id = $1 AND c.holder = $3 AND c.shard < $2 AND c.lease_until > clock.now_ms
         RETURNING c.shard
       ),
       taken AS (
         INSERT INTO conduit_shard_claims AS c (conduit_id, shard, holder, lease_until, claimed_at)
         SELECT $1, s.shard, $3, clock.now_ms + $4::bigint, clock.now_ms
         FROM clock, generate_series(0, $2::int - 1) AS s (shard)
         WHERE NOT EXISTS (SELECT 1 FROM mine)
           AND NOT EXISTS (SELECT 1 FROM conduit_shard_claims h
                           WHERE h.conduit_id = $1 AND h.shard = s.shard AND h.lease_until > clock.now_ms)
         ORDER BY s.shard LIMIT 1
         ON CONFLICT (conduit_id, shard) DO UPDATE
           SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, claimed_at = EXCLUDED.claimed_at
           WHERE c.lease_until <= EXCLUDED.claimed_at
         RETURNING c.shard
       )
       SELECT shard FROM mine UNION ALL SELECT shard FROM taken LIMIT 1`,
      [conduitId, shardCount, holder, leaseMs],
    );
    return rows[0] ? Number(rows[0].shard) : null;
  }

  async renewShard(conduitId: string, shard: number, holder: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE conduit_shard_claims SET lease_until = ${DB_NOW_MS} + $4::bigint
       WHERE conduit_id = $1 AND shard = $2 AND holder = $3 AND lease_until > ${DB_NOW_MS}`,
      [conduitId, shard, holder, leaseMs],
    );
    return rowCount === 1;
  }

  async releaseShard(conduitId: string, shard: number, holder: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM conduit_shard_claims WHERE conduit_id = $1 AND shard = $2 AND holder = $3',
      [conduitId, shard, holder],
    );
    return rowCount === 1;
  }

  async listShardClaims(conduitId: string): Promise<ShardClaim[]> {
    const { rows } = await this.pool.query<{
      shard: number;
      holder: string;
      lease_until: number;
      claimed_at: number;
      expired: boolean;
    }>(
      `SELECT shard, holder, lease_until, claimed_at, lease_until <= ${DB_NOW_MS} AS expired
       FROM conduit_shard_claims WHERE conduit_id = $1 ORDER BY shard`,
      [conduitId],
    );
    return rows.map((row) => ({
      conduitId,
      shard: Number(row.shard),
      holder: row.holder,
      leaseUntil: new Date(Number(row.lease_until)),
      claimedAt: new Date(Number(row.claimed_at)),
      expired: row.expired,
    }));
  }
}
