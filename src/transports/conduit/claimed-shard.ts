import type { Logger } from '../../observability/logger.js';
import type { ShardClaims } from '../../store/roles/shard-claims.js';
import { SessionSetupError } from '../websocket/errors.js';
import type { ConduitTransport } from './conduit-transport.js';

export interface ClaimedShardOptions {
  claims: ShardClaims;
  conduitId: string;
  shardCount: number;
  /** This replica's id in the claims (host, process id and a random part). */
  holder: string;
  /** CONDUIT_CLAIM_LEASE_MS: renewed every third of it. */
  leaseMs: number;
  logger: Logger;
  /**
   * Starts serving `shard` (its WebSocket session). `beforeAssign` renews the claim and throws
   * when the shard is no longer this replica's: the session must then not be assigned to it.
   */
  serve(shard: number, beforeAssign: () => Promise<void>): ConduitTransport;
}

/** The shard this replica serves now (undefined while it stands by), beside the transport's own. */
export interface ClaimedShard extends ConduitTransport {
  shard(): number | undefined;
}

/**
 * A replica of TRANSPORT=conduit on a store shared by replicas (CONDUIT_SHARD unset or `auto`):
 * claims a free shard through the store under a lease, serves it, and renews the lease every third
 * of it. A renewal the store refuses (the lease ended: another replica may hold the shard now) or
 * cannot answer before the lease would end, and the replica closes the shard's session and stands
 * by. Standing by, it tries to claim every third of the lease, so it takes over the shard of a
 * replica that stopped renewing (killed, cut off) once that lease ends, and assigns its own
 * session to it. Every assignment is preceded by a renewal, so a replica that lost its shard never
 * takes it back from the new holder at Twitch. A clean stop releases the shard for a standby at once.
 */
export function startClaimedShard(options: ClaimedShardOptions): ClaimedShard {
  const { claims, conduitId, holder, leaseMs } = options;
  const log = options.logger.child({ transport: 'conduit', conduitId, holder });
  const everyMs = Math.max(100, Math.floor(leaseMs / 3));
  let held: { shard: number; validUntil: number; transport?: ConduitTransport } | undefined;
  let standingBy = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const renew = async (shard: number): Promise<boolean> => {
    const askedAt = Date.now();
    const ok = await claims.renewShard(conduitId, shard, holder, leaseMs);
    // The store started the lease after we asked: counting from the ask is on the safe side.
    if (ok && held?.shard === shard) held.validUntil = askedAt + leaseMs;
    return ok;
  };

  const lose = async (reason: string) => {
    const lost = held;
    if (!lost) return;
    held = undefined;
    log.warn(
      { shard: lost.shard },
      `this replica no longer holds shard ${lost.shard} of conduit ${conduitId} (${reason}): closing its session and ` +
        'standing by to claim a free shard',
    );
    await lost.transport?.stop();
  };

  const take = (shard: number, askedAt: number) => {
    standingBy = false;
    held = { shard, validUntil: askedAt + leaseMs };
    log.info(
      { shard, leaseMs },
      `this replica holds shard ${shard} of conduit ${conduitId} (claimed through the store as ${holder}; lease ` +
        `${leaseMs} ms, renewed every ${everyMs} ms); assigning a session to it`,
    );
    held.transport = options.serve(shard, async () => {
      if (!(await renew(shard)))
        throw new SessionSetupError(
          `shard ${shard} is no longer this replica's (its lease ended; another replica may hold it): not assigning the session`,
          false,
        );
    });
  };

  const tick = async () => {
    const askedAt = Date.now();
    try {
      if (held) {
        if (!(await renew(held.shard)))
          await lose('its lease ended before it was renewed, or another replica holds it now');
        return;
      }
      const shard = await claims.claimShard(conduitId, options.shardCount, holder, leaseMs);
      if (shard !== null) return take(shard, askedAt);
      if (!standingBy)
        log.info(
          { shards: options.shardCount },
          `standby: every shard of conduit ${conduitId} (${options.shardCount}) is held by another replica; this replica ` +
            `takes one over when its holder stops renewing its lease (${leaseMs} ms)`,
        );
      standingBy = true;
    } catch (error) {
      log.warn(
        { err: { message: (error as Error).message } },
        `the store did not answer the shard claim: ${(error as Error).message}`,
      );
      // Unproven past the lease's end: another replica may take the shard then, so stop serving it first.
      if (held && Date.now() + everyMs >= held.validUntil)
        await lose('its lease could not be renewed in time: the store did not answer');
    }
  };

  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (stopped) return;
      timer = setTimeout(loop, everyMs);
      timer.unref();
    });
  };
  loop();

  return {
    shard: () => held?.shard,
    sessionId: () => held?.transport?.sessionId(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      const last = held;
      held = undefined;
      if (!last) return;
      await last.transport?.stop();
      try {
        if (await claims.releaseShard(conduitId, last.shard, holder))
          log.info(
            { shard: last.shard },
            `released shard ${last.shard} of conduit ${conduitId} for another replica`,
          );
      } catch (error) {
        log.warn(
          { err: { message: (error as Error).message } },
          `could not release shard ${last.shard}: another replica takes it over when the lease ends`,
        );
      }
    },
  };
}
