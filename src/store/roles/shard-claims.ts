/** One shard of a conduit as the claims table keeps it: who holds it, and until when. */
export interface ShardClaim {
  conduitId: string;
  shard: number;
  /** The replica holding it (its own id: host, process and a random part). */
  holder: string;
  /** When the lease ends unless renewed, on the store's clock. */
  leaseUntil: Date;
  /** When this holder took the shard. */
  claimedAt: Date;
  /** The lease ended and nobody renewed it: the shard is free for any replica to claim. */
  expired: boolean;
}

/**
 * Which replica serves which shard of a conduit (TRANSPORT=conduit with CONDUIT_SHARD unset or
 * `auto`, on a store shared by replicas): each replica claims one free shard under a lease and
 * renews it; one that stops renewing loses the shard to another. The store decides alone, each
 * call in one atomic step on its own clock, so two replicas never hold the same shard at once,
 * whatever their clocks say.
 */
export interface ShardClaims {
  /**
   * Claims for `holder` the lowest shard below `shardCount` that nobody holds (never claimed,
   * released, or its lease ended), under a lease of `leaseMs`; resolves with its id, or null when
   * every shard is held by another replica. A holder already holding one gets that one back, its
   * lease renewed (one shard per holder).
   */
  claimShard(conduitId: string, shardCount: number, holder: string, leaseMs: number): Promise<number | null>;
  /**
   * Extends the holder's lease by `leaseMs` from now. Resolves false, changing nothing, when the
   * holder no longer holds the shard: its lease ended (even if nobody took the shard yet) or
   * another replica took it. The holder must then stop serving the shard.
   */
  renewShard(conduitId: string, shard: number, holder: string, leaseMs: number): Promise<boolean>;
  /** Gives the shard up (a clean stop) so a standby takes it at once; false when it was not the holder's. */
  releaseShard(conduitId: string, shard: number, holder: string): Promise<boolean>;
  /** Every claim row of the conduit, by shard (expired ones included), for `doctor` and tests. */
  listShardClaims(conduitId: string): Promise<ShardClaim[]>;
}
