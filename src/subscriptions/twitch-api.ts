import type { ApiClient } from '@twurple/api';
import { getRawData } from '@twurple/common';
import type { RefreshingAuthProvider } from '@twurple/auth';
import { AuthSetupError } from '../auth/auth-errors.js';
import { withTwitchErrors, type RetryNotice } from './twitch-errors.js';

/** A webhook subscription as Twitch lists it (the raw Helix fields we show and compare). */
export interface RemoteSubscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: Record<string, string>;
  callback: string | undefined;
  createdAt: string;
  cost: number;
  /** `webhook`, `websocket` or `conduit`. */
  method?: string;
  /** The WebSocket session a websocket subscription belongs to. */
  sessionId?: string;
  /** The conduit a conduit subscription belongs to. */
  conduitId?: string;
}

/** All pages of Get EventSub Subscriptions, plus the cost figures from the last page. */
export interface SubscriptionListing {
  subscriptions: RemoteSubscription[];
  total: number;
  totalCost: number;
  maxTotalCost: number;
}

/** The raw Helix fields of a subscription twurple returned. */
export function toRemote(sub: object): RemoteSubscription {
  const raw = getRawData(sub as never) as Record<string, unknown> & {
    transport?: { callback?: string; method?: string; session_id?: string; conduit_id?: string };
    condition?: Record<string, string>;
  };
  return {
    id: String(raw.id),
    status: String(raw.status),
    type: String(raw.type),
    version: String(raw.version),
    condition: raw.condition ?? {},
    callback: raw.transport?.callback,
    createdAt: String(raw.created_at),
    cost: Number(raw.cost ?? 0),
    ...(raw.transport?.method && { method: raw.transport.method }),
    ...(raw.transport?.session_id && { sessionId: raw.transport.session_id }),
    ...(raw.transport?.conduit_id && { conduitId: raw.transport.conduit_id }),
  };
}

/**
 * Creates one subscription on any transport (a webhook callback, a conduit), errors explained: the
 * one Helix create both the webhook CLI and the conduit sync make.
 */
export async function createSubscription(
  api: ApiClient,
  what: string,
  wanted: { type: string; version: string; condition: Record<string, string> },
  transport: Parameters<ApiClient['eventSub']['createSubscription']>[3],
  batching: boolean,
  onRetry: RetryNotice,
): Promise<RemoteSubscription> {
  const created = await withTwitchErrors(
    what,
    () =>
      api.eventSub.createSubscription(
        wanted.type,
        wanted.version,
        wanted.condition,
        transport,
        undefined,
        undefined,
        undefined,
        batching,
      ),
    onRetry,
  );
  return toRemote(created);
}

/**
 * The Helix EventSub calls the CLI makes, through @twurple/api with the app token (webhook
 * subscriptions are created, listed and deleted with client credentials). Every call turns
 * Twitch's errors into messages that say what to do, and waits out 429s with backoff.
 */
export class TwitchSubscriptions {
  private client: Promise<ApiClient> | undefined;

  constructor(
    private readonly authProvider: RefreshingAuthProvider,
    private readonly onRetry: RetryNotice = () => undefined,
  ) {}

  /**
   * The Helix client, loaded on first use: @twurple/api is the largest module the CLI has, and
   * most commands (events, trigger, stream, --help) never call Helix.
   */
  api(): Promise<ApiClient> {
    this.client ??= import('@twurple/api').then(
      ({ ApiClient }) => new ApiClient({ authProvider: this.authProvider, logger: { minLevel: 'critical' } }),
    );
    return this.client;
  }

  async listAll(): Promise<SubscriptionListing> {
    const subscriptions: RemoteSubscription[] = [];
    let cursor: string | undefined;
    let page;
    const api = await this.api();
    do {
      const after = cursor;
      page = await withTwitchErrors(
        'list subscriptions',
        () => api.eventSub.getSubscriptions(after ? { after } : {}),
        this.onRetry,
      );
      subscriptions.push(...page.data.map(toRemote));
      cursor = page.cursor ?? undefined;
    } while (cursor && page.data.length > 0);
    return { subscriptions, total: page.total, totalCost: page.totalCost, maxTotalCost: page.maxTotalCost };
  }

  async create(
    type: string,
    version: string,
    condition: Record<string, string>,
    transport: { callback: string; secret: string },
    /** Send `is_batching_enabled: true` (Twitch requires it for drop.entitlement.grant). */
    batching = false,
  ): Promise<RemoteSubscription> {
    return createSubscription(
      await this.api(),
      `create ${type} v${version}`,
      { type, version, condition },
      { method: 'webhook', ...transport },
      batching,
      this.onRetry,
    );
  }

  async delete(id: string): Promise<void> {
    const api = await this.api();
    await withTwitchErrors(
      `delete subscription ${id}`,
      () => api.eventSub.deleteSubscription(id),
      this.onRetry,
    );
  }

  /** Resolves a login or numeric user id to `{ id, login }`; throws when Twitch knows no such user. */
  async resolveUser(loginOrId: string): Promise<{ id: string; login: string }> {
    const api = await this.api();
    const user = await withTwitchErrors(
      `look up user ${loginOrId}`,
      () => (/^\d+$/.test(loginOrId) ? api.users.getUserById(loginOrId) : api.users.getUserByName(loginOrId)),
      this.onRetry,
    );
    if (!user) {
      throw new AuthSetupError(
        `Twitch has no user "${loginOrId}"; check the spelling of --broadcaster (a login like "mychannel" or a numeric user id)`,
      );
    }
    return { id: user.id, login: user.name };
  }
}
