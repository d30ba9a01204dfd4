import type { ApiClient } from '@twurple/api';
import { toRemote, type RemoteSubscription, type SubscriptionListing } from './twitch-api.js';

/**
 * The Helix EventSub calls made *as a user*, through @twurple/api: WebSocket subscriptions are
 * created with the user's own access token (`transport: { method: 'websocket', session_id }`),
 * and only a user token lists them (an app token lists webhook and conduit subscriptions). The
 * ApiClient's RefreshingAuthProvider renews the token when it expires or Twitch answers 401.
 * Errors are left as twurple throws them: the caller knows what they mean for its session.
 */
export class UserEventSub {
  constructor(private readonly api: ApiClient) {}

  /** Creates one subscription on a WebSocket session, with `userId`'s token. */
  async create(
    userId: string,
    sessionId: string,
    wanted: { type: string; version: string; condition: Record<string, string> },
  ): Promise<RemoteSubscription> {
    const created = await this.api.eventSub.createSubscription(
      wanted.type,
      wanted.version,
      wanted.condition,
      { method: 'websocket', session_id: sessionId },
      userId,
    );
    return toRemote(created);
  }

  /** Every page of Get EventSub Subscriptions as `userId`: their WebSocket subscriptions. */
  async listAll(userId: string): Promise<SubscriptionListing> {
    return this.api.asUser(userId, async (ctx) => {
      const subscriptions: RemoteSubscription[] = [];
      let cursor: string | undefined;
      let page;
      do {
        page = await ctx.eventSub.getSubscriptions(cursor ? { after: cursor } : {});
        subscriptions.push(...page.data.map(toRemote));
        cursor = page.cursor ?? undefined;
      } while (cursor && page.data.length > 0);
      return { subscriptions, total: page.total, totalCost: page.totalCost, maxTotalCost: page.maxTotalCost };
    });
  }
}
