import { ConduitApi, type RemoteShard } from '../../../subscriptions/conduit-api.js';
import { rememberedConduitId } from '../../../subscriptions/conduit-memory.js';
import type { ShardClaim } from '../../../store/store.js';
import { findings, type Check, type Finding } from './check.js';
import { messageOf } from './runner.js';

type F = ReturnType<typeof findings>;

/**
 * TRANSPORT=conduit only: the conduit (configured or remembered in DATA_DIR) exists with enough
 * shards for CONDUIT_SHARD, each shard's status and transport (the session that holds it: a relay
 * is running on it) and, for replicas claiming shards through the store, the replica holding it
 * (the claims table), and the subscriptions on the conduit. A disabled shard is ✗ with what brings
 * it back; Twitch drops a disabled shard's events when its second choice is disabled too.
 */
export const conduitCheck: Check = {
  id: 'conduit',
  title: 'EventSub conduit',
  hard: true,
  async run(state) {
    const config = state.config;
    if (config?.env.TRANSPORT !== 'conduit') return [];
    const f = findings(conduitCheck);
    const twitch = state.twitch;
    if (!twitch) return [f.skip('needs the Twitch application')];
    const id = config.conduit?.id ?? rememberedConduitId(config.dataDir);
    if (!id)
      return [
        f.fail(
          'no conduit yet: the config file names none and DATA_DIR/conduit.json does not exist',
          'run `eventsub-relay sync` (creates the conduit and its subscriptions), or start the relay once',
        ),
      ];
    const api = new ConduitApi(() => twitch.api());
    try {
      const conduit = (await api.list()).find((c) => c.id === id);
      if (!conduit)
        return [
          f.fail(
            `conduit ${id} is not a conduit of this application (deleted: Twitch deletes one whose shards stay disabled for 72 h)`,
            'remove `id:` from `conduit:` (or delete DATA_DIR/conduit.json), then run `eventsub-relay sync`',
          ),
        ];
      const setting = config.env.CONDUIT_SHARD;
      const replicas =
        setting === 'auto' || (setting === undefined && state.store?.sharedByReplicas === true);
      const shard = typeof setting === 'number' ? setting : 0;
      const shards = await api.shards(id);
      const claims = replicas ? await state.store?.shardClaims?.listShardClaims(id) : undefined;
      const subscriptions = (await twitch.listAll()).subscriptions.filter((s) => s.conduitId === id);
      const enabled = subscriptions.filter((s) => s.status === 'enabled').length;
      const overview = replicas
        ? claims
          ? f.ok(
              `${id}: ${conduit.shardCount} shard(s); replicas claim them through the store (CONDUIT_SHARD ${setting ?? 'unset'}): ` +
                `${claims.filter((c) => !c.expired).length} held`,
            )
          : f.fail(
              `${id}: ${conduit.shardCount} shard(s); CONDUIT_SHARD=${setting ?? '(unset)'} claims shards through the store, and this store has no shard claims`,
              'use STORE_URL=postgres://… (the store the replicas share), or set CONDUIT_SHARD to a shard id',
            )
        : shard < conduit.shardCount
          ? f.ok(`${id}: ${conduit.shardCount} shard(s); this relay serves shard ${shard} (CONDUIT_SHARD)`)
          : f.fail(
              `${id} has ${conduit.shardCount} shard(s), CONDUIT_SHARD=${shard} is not one of them`,
              `set CONDUIT_SHARD to 0..${conduit.shardCount - 1}, or raise conduit.shards and run \`eventsub-relay sync\``,
            );
      const subs =
        enabled > 0
          ? f.ok(`${enabled} enabled subscription(s) on the conduit (\`eventsub-relay list\`)`, undefined, {
              id: 'subscriptions',
              title: 'conduit subscriptions',
            })
          : f.fail(
              'no enabled subscription on the conduit',
              'list them in the config file and run `eventsub-relay sync`',
              {
                id: 'subscriptions',
                title: 'conduit subscriptions',
              },
            );
      return [overview, ...shards.map((s) => shardFinding(s, f, claims)), subs];
    } catch (error) {
      return [f.fail(messageOf(error), 'check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET and the network')];
    }
  },
};

/**
 * One shard: Twitch's status and transport and, with replicas (`claims` given), the replica the
 * claims table names as its holder.
 */
function shardFinding(shard: RemoteShard, f: F, claims?: readonly ShardClaim[]): Finding {
  const part = { id: `shard.${shard.id}`, title: `shard ${shard.id}` };
  const transport =
    shard.method === 'websocket'
      ? shard.sessionId
        ? `WebSocket session ${shard.sessionId}`
        : 'no transport assigned yet'
      : `webhook ${shard.callback ?? ''}`;
  const claim = claims?.find((c) => String(c.shard) === shard.id);
  const holder = !claims
    ? ''
    : !claim
      ? '; no replica has claimed it'
      : claim.expired
        ? `; the claim of replica ${claim.holder} ended ${claim.leaseUntil.toISOString()} (a standby takes it over)`
        : `; held by replica ${claim.holder} (lease until ${claim.leaseUntil.toISOString()})`;
  if (shard.status === 'enabled') return f.ok(`enabled, ${transport}${holder}`, undefined, part);
  return f.fail(
    `${shard.status}${shard.disconnectedAt ? ` since ${shard.disconnectedAt}` : ''} (${transport})${holder}`,
    (claims
      ? 'start another replica (TRANSPORT=conduit, the same STORE_URL, CONDUIT_SHARD unset): a standby claims a shard ' +
        'nobody holds and assigns its session to it; '
      : `start a relay with TRANSPORT=conduit CONDUIT_SHARD=${shard.id} (it assigns its session within 10 s); `) +
      'meanwhile Twitch sends this shard’s events to another enabled shard, and drops them when none is',
    part,
  );
}
