import { ConduitApi, type RemoteShard } from '../../../subscriptions/conduit-api.js';
import { rememberedConduitId } from '../../../subscriptions/conduit-memory.js';
import type { TwitchContext } from '../../twitch-context.js';
import { renderTable } from '../../table.js';

/** The conduit a TRANSPORT=conduit relay serves, with its shards, as `list` shows it. */
export interface ConduitListing {
  id: string;
  shard_count: number;
  shards: RemoteShard[];
}

/** TRANSPORT=conduit: the configured or remembered conduit and its shards; undefined otherwise. */
export async function listConduit(ctx: TwitchContext): Promise<ConduitListing | undefined> {
  if (ctx.config.transport !== 'conduit') return undefined;
  const id = ctx.config.file.conduit?.id ?? rememberedConduitId(ctx.config.dataDir);
  if (!id) return undefined;
  const api = new ConduitApi(() => ctx.twitch.api());
  const conduit = (await api.list()).find((c) => c.id === id);
  if (!conduit) return undefined;
  return { id, shard_count: conduit.shardCount, shards: await api.shards(id) };
}

/** The shard table: which session (or callback) holds each shard, and since when it is down. */
export function renderConduit(conduit: ConduitListing): string {
  const rows = conduit.shards.map((s) => [
    s.id,
    s.status,
    s.method,
    s.sessionId ?? s.callback ?? '-',
    s.disconnectedAt ?? s.connectedAt ?? '-',
  ]);
  return (
    `\nConduit ${conduit.id} (${conduit.shard_count} shard(s); its subscriptions are those above on it):\n` +
    renderTable(['SHARD', 'STATUS', 'TRANSPORT', 'SESSION / CALLBACK', 'SINCE'], rows)
  );
}
