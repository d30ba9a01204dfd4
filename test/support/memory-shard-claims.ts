import type { ShardClaim, ShardClaims } from '../../src/index.js';

interface ClaimRow {
  holder: string;
  leaseUntil: number;
  claimedAt: number;
}

/**
 * Conduit shard claims kept in memory, shared by every handle on the same data (as replicas share a
 * database): each call runs in one synchronous step, so two claims never interleave. Leases are on
 * this process's clock, the one clock every handle shares here.
 */
export class MemoryShardClaims implements ShardClaims {
  /** `${conduitId}/${shard}` → its claim. */
  private readonly rows = new Map<string, ClaimRow>();

  constructor(private readonly now: () => number = Date.now) {}

  async claimShard(
    conduitId: string,
    shardCount: number,
    holder: string,
    leaseMs: number,
  ): Promise<number | null> {
    const now = this.now();
    for (let shard = 0; shard < shardCount; shard++) {
      const row = this.rows.get(key(conduitId, shard));
      if (row && row.holder === holder && row.leaseUntil > now) {
        row.leaseUntil = now + leaseMs;
        return shard;
      }
    }
    for (let shard = 0; shard < shardCount; shard++) {
      const row = this.rows.get(key(conduitId, shard));
      if (row && row.leaseUntil > now) continue;
      this.rows.set(key(conduitId, shard), { holder, leaseUntil: now + leaseMs, claimedAt: now });
      return shard;
    }
    return null;
  }

  async renewShard(conduitId: string, shard: number, holder: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const row = this.rows.get(key(conduitId, shard));
    if (!row || row.holder !== holder || row.leaseUntil <= now) return false;
    row.leaseUntil = now + leaseMs;
    return true;
  }

  async releaseShard(conduitId: string, shard: number, holder: string): Promise<boolean> {
    const row = this.rows.get(key(conduitId, shard));
    if (!row || row.holder !== holder) return false;
    return this.rows.delete(key(conduitId, shard));
  }

  async listShardClaims(conduitId: string): Promise<ShardClaim[]> {
    const now = this.now();
    return [...this.rows.entries()]
      .map(([k, row]) => ({ k, row, shard: Number(k.slice(k.lastIndexOf('/') + 1)) }))
      .filter(({ k }) => k.slice(0, k.lastIndexOf('/')) === conduitId)
      .sort((a, b) => a.shard - b.shard)
      .map(({ shard, row }) => ({
        conduitId,
        shard,
        holder: row.holder,
        leaseUntil: new Date(row.leaseUntil),
        claimedAt: new Date(row.claimedAt),
        expired: row.leaseUntil <= now,
      }));
  }
}

const key = (conduitId: string, shard: number) => `${conduitId}/${shard}`;
