import { openTwitchContext, type TwitchContext } from '../../twitch-context.js';
import { renderTable } from '../../table.js';
import type { RemoteSubscription, SubscriptionListing } from '../../../subscriptions/twitch-api.js';
import { UserEventSub } from '../../../subscriptions/websocket-api.js';
import { listingError } from './list-errors.js';
import { listConduit, renderConduit } from './list-conduit.js';

export interface ListOptions {
  status?: string;
  type?: string;
  json?: boolean;
}

/** One stored user's WebSocket subscriptions (only their token lists them). */
interface UserListing extends SubscriptionListing {
  user: { id: string; login: string };
}

/** `list`: app-token subscriptions, the conduit, then each stored user's WebSocket ones. */
export async function list(options: ListOptions): Promise<void> {
  const ctx = openTwitchContext();
  const listing = await ctx.twitch.listAll();
  const websocket = await listWebSocket(ctx);
  const conduit = await listConduit(ctx);
  const keep = (s: RemoteSubscription) =>
    (!options.status || s.status === options.status) && (!options.type || s.type === options.type);
  const shown = listing.subscriptions.filter(keep);
  if (options.json) {
    const json = {
      subscriptions: shown,
      total: listing.total,
      total_cost: listing.totalCost,
      max_total_cost: listing.maxTotalCost,
      websocket: websocket.map((w) => ({
        user: w.user,
        subscriptions: w.subscriptions.filter(keep),
        total: w.total,
        total_cost: w.totalCost,
        max_total_cost: w.maxTotalCost,
      })),
      ...(conduit && { conduit }),
    };
    return void process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  }
  const rows = shown.map((s) => [...common(s), s.createdAt, String(s.cost)]);
  process.stdout.write(
    renderTable(['ID', 'TYPE', 'VERSION', 'CONDITION', 'STATUS', 'CREATED', 'COST'], rows),
  );
  process.stdout.write(
    `${shown.length} shown; total ${listing.total}, total_cost ${listing.totalCost} of max_total_cost ${listing.maxTotalCost}\n`,
  );
  if (conduit) process.stdout.write(renderConduit(conduit));
  for (const w of websocket.filter((w) => w.subscriptions.length > 0)) {
    const subs = w.subscriptions.filter(keep);
    process.stdout.write(`\nWebSocket subscriptions of ${w.user.login} (they end with their session):\n`);
    process.stdout.write(
      renderTable(
        ['ID', 'TYPE', 'VERSION', 'CONDITION', 'STATUS', 'SESSION', 'COST'],
        subs.map((s) => [...common(s), s.sessionId ?? '-', String(s.cost)]),
      ),
    );
    process.stdout.write(
      `${subs.length} shown; total ${w.total}, total_cost ${w.totalCost} of max_total_cost ${w.maxTotalCost}\n`,
    );
  }
}

function common(s: RemoteSubscription): string[] {
  return [s.id, s.type, s.version, JSON.stringify(s.condition), s.status];
}

/** Each stored user with a refresh token, listed with their own token; a failure is a note, not an exit. */
async function listWebSocket(ctx: TwitchContext): Promise<UserListing[]> {
  const eventSub = new UserEventSub(await ctx.twitch.api());
  const listings: UserListing[] = [];
  for (const token of ctx.tokens.all()) {
    const user = { id: token.userId, login: token.login };
    if (!token.refreshToken) continue; // the relay cannot run a session with it either
    try {
      listings.push({ user, ...(await eventSub.listAll(user.id)) });
    } catch (error) {
      process.stderr.write(`eventsub-relay: note: ${listingError(user.login, error)}\n`);
    }
  }
  return listings;
}
