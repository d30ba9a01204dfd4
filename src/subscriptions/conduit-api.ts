import type { ApiClient } from '@twurple/api';
import { withTwitchErrors, type RetryNotice } from './twitch-errors.js';
import { createSubscription, type RemoteSubscription } from './twitch-api.js';

/** A conduit as Get Conduits lists it. */
export interface RemoteConduit {
  id: string;
  shardCount: number;
}

/** A shard as Get Conduit Shards lists it (https://dev.twitch.tv/docs/api/reference/#get-conduit-shards). */
export interface RemoteShard {
  id: string;
  status: string;
  method: string;
  sessionId?: string;
  callback?: string;
  connectedAt?: string;
  disconnectedAt?: string;
}

/** Update Conduit Shards answered 202 but listed this shard under `errors`. */
export class ShardUpdateError extends Error {
  constructor(
    readonly shardId: string,
    readonly detail: string,
    readonly code: string,
  ) {
    super(`Twitch did not assign shard ${shardId}: ${detail} (${code})`);
    this.name = 'ShardUpdateError';
  }
}

interface RawShard {
  id: string;
  status: string;
  transport: {
    method: string;
    session_id?: string;
    callback?: string;
    connected_at?: string;
    disconnected_at?: string;
  };
}

function toShard(raw: RawShard): RemoteShard {
  const t = raw.transport;
  return {
    id: raw.id,
    status: raw.status,
    method: t.method,
    ...(t.session_id && { sessionId: t.session_id }),
    ...(t.callback && { callback: t.callback }),
    ...(t.connected_at && { connectedAt: t.connected_at }),
    ...(t.disconnected_at && { disconnectedAt: t.disconnected_at }),
  };
}

/**
 * Helix's conduit endpoints with the app token (https://dev.twitch.tv/docs/api/reference/#get-conduits
 * and the five after it), and subscriptions created on a conduit. Raw calls through twurple's
 * `callApi`: its `updateConduitShards` drops the 202 body's `errors`, which is where Twitch says a
 * shard was not assigned.
 */
export class ConduitApi {
  /** `api` gives the Helix client (TwitchSubscriptions.api: loaded on first use, as the CLI wants). */
  constructor(
    private readonly api: () => Promise<ApiClient>,
    private readonly onRetry: RetryNotice = () => undefined,
  ) {}

  async list(): Promise<RemoteConduit[]> {
    const answer = await this.call<{ data: Array<{ id: string; shard_count: number }> }>('list conduits', {
      url: 'eventsub/conduits',
      method: 'GET',
    });
    return answer.data.map((c) => ({ id: c.id, shardCount: c.shard_count }));
  }

  async create(shardCount: number): Promise<RemoteConduit> {
    const answer = await this.call<{ data: Array<{ id: string; shard_count: number }> }>('create a conduit', {
      url: 'eventsub/conduits',
      method: 'POST',
      jsonBody: { shard_count: shardCount },
    });
    const [c] = answer.data;
    return { id: c!.id, shardCount: c!.shard_count };
  }

  async resize(id: string, shardCount: number): Promise<RemoteConduit> {
    const answer = await this.call<{ data: Array<{ id: string; shard_count: number }> }>(
      `set conduit ${id} to ${shardCount} shards`,
      { url: 'eventsub/conduits', method: 'PATCH', jsonBody: { id, shard_count: shardCount } },
    );
    const [c] = answer.data;
    return { id: c!.id, shardCount: c!.shard_count };
  }

  async shards(conduitId: string): Promise<RemoteShard[]> {
    const shards: RemoteShard[] = [];
    let after: string | undefined;
    do {
      const answer = await this.call<{ data: RawShard[]; pagination?: { cursor?: string } }>(
        `list the shards of conduit ${conduitId}`,
        {
          url: 'eventsub/conduits/shards',
          method: 'GET',
          query: { conduit_id: conduitId, ...(after && { after }) },
        },
      );
      shards.push(...answer.data.map(toShard));
      after = answer.data.length > 0 ? answer.pagination?.cursor : undefined;
    } while (after);
    return shards;
  }

  /** Assigns a WebSocket session to a shard; throws ShardUpdateError when Twitch lists it under `errors`. */
  assignWebSocket(conduitId: string, shardId: string, sessionId: string): Promise<RemoteShard> {
    return this.assign(conduitId, shardId, { method: 'websocket', session_id: sessionId });
  }

  /** Assigns a webhook callback to a shard; Twitch then sends it the signed challenge. */
  assignWebhook(conduitId: string, shardId: string, callback: string, secret: string): Promise<RemoteShard> {
    return this.assign(conduitId, shardId, { method: 'webhook', callback, secret });
  }

  private async assign(
    conduitId: string,
    shardId: string,
    transport: Record<string, string>,
  ): Promise<RemoteShard> {
    const answer = await this.call<{
      data: RawShard[];
      errors?: Array<{ id: string; message: string; code: string }>;
    }>(`assign shard ${shardId} of conduit ${conduitId}`, {
      url: 'eventsub/conduits/shards',
      method: 'PATCH',
      jsonBody: { conduit_id: conduitId, shards: [{ id: shardId, transport }] },
    });
    const failed = answer.errors?.find((e) => e.id === shardId);
    if (failed) throw new ShardUpdateError(shardId, failed.message, failed.code);
    const shard = answer.data.find((s) => s.id === shardId);
    if (!shard) throw new ShardUpdateError(shardId, 'the answer does not list the shard', 'missing');
    return toShard(shard);
  }

  /** Creates a subscription on the conduit (app token; Twitch answers 409 when it exists). */
  async subscribe(
    conduitId: string,
    wanted: { type: string; version: string; condition: Record<string, string> },
    batching = false,
  ): Promise<RemoteSubscription> {
    return createSubscription(
      await this.api(),
      `create ${wanted.type} v${wanted.version} on conduit ${conduitId}`,
      wanted,
      { method: 'conduit', conduit_id: conduitId },
      batching,
      this.onRetry,
    );
  }

  /** One Helix call with the app token (twurple picks it: no user context), errors explained. */
  private call<T>(what: string, options: HelixCall): Promise<T> {
    return withTwitchErrors(
      what,
      async () => (await this.api()).callApi<T>({ type: 'helix', forceType: 'app', ...options }),
      this.onRetry,
    );
  }
}

interface HelixCall {
  url: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, string>;
  jsonBody?: unknown;
}
