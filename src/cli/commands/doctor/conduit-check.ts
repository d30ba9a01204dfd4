import { ConduitApi, type RemoteShard } from '../../../subscriptions/conduit-api.js';
import { rememberedConduitId } from '../../../subscriptions/conduit-memory.js';
import { findings, type Check, type Finding } from './check.js';
import { messageOf } from './runner.js';

type F = ReturnType<typeof findings>;

/**
 * TRANSPORT=conduit only: the conduit (configured or remembered in DATA_DIR) exists with enough
 * shards for CONDUIT_SHARD, each shard's status and transport (the session that holds it: a relay
 * is running on it), and the subscriptions on the conduit. A disabled shard is ✗ with what brings
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
      const shard = config.env.CONDUIT_SHARD;
      const shards = await api.shards(id);
      const subscriptions = (await twitch.listAll()).subscriptions.filter((s) => s.conduitId === id);
      const enabled = subscriptions.filter((s) => s.status === 'enabled').length;
      const overview =
        shard < conduit.shardCount
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
      return [overview, ...shards.map((s) => shardFinding(s, f)), subs];
    } catch (error) {
      return [f.fail(messageOf(error), 'check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET and the network')];
    }
  },
};

function shardFinding(shard: RemoteShard, f: F): Finding {
  const part = { id: `shard.${shard.id}`, title: `shard ${shard.id}` };
  const held =
    shard.method === 'websocket'
      ? shard.sessionId
        ? `WebSocket session ${shard.sessionId}`
        : 'no transport assigned yet'
      : `webhook ${shard.callback ?? ''}`;
  if (shard.status === 'enabled') return f.ok(`enabled, ${held}`, undefined, part);
  return f.fail(
    `${shard.status}${shard.disconnectedAt ? ` since ${shard.disconnectedAt}` : ''} (${held})`,
    `start a relay with TRANSPORT=conduit CONDUIT_SHARD=${shard.id} (it assigns its session within 10 s); ` +
      'meanwhile Twitch sends this shard’s events to another enabled shard, and drops them when none is',
    part,
  );
}
