import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FakeSubscription, FakeToken, FakeTwitch, RecordedRequest } from './fake-twitch.js';
import { json } from './fake-twitch-json.js';
import { twitchTimestamp } from './fake-eventsub-ws-messages.js';
import { routeFakeControls } from './fake-eventsub-ws-controls.js';

/** Scopes the fake checks for the types the tests use (Twitch checks every type). */
const SCOPES: Record<string, string[]> = {
  'channel.follow': ['moderator:read:followers'],
  'channel.subscribe': ['channel:read:subscriptions'],
  'channel.cheer': ['bits:read'],
  'channel.chat.message': ['user:read:chat'],
};

/** Twitch's limits per client id + user id for websocket transport (manage-subscriptions docs). */
const MAX_CONNECTIONS = 3;
const MAX_PER_SESSION = 300;
const MAX_TOTAL_COST = 10;

const error = (res: ServerResponse, status: number, message: string) =>
  json(res, status, { error: status === 429 ? 'Too Many Requests' : 'error', status, message });

/**
 * Helix as a *user token* sees it: create websocket subscriptions on a session of the fake
 * EventSub WebSocket server, list and delete them. Twitch's rules are enforced: a valid, unexpired
 * user token of our client id; a session that exists and is still connected; scopes; the same
 * subscription twice on a session is 409; at most 3 enabled with the same type and condition,
 * 3 connections with enabled subscriptions, 300 per connection, max_total_cost 10 (429 bodies as
 * Twitch words them where known: twurple#616). Returns false for what is not its to answer.
 */
export function routeWebSocketHelix(state: FakeTwitch, req: RecordedRequest, res: ServerResponse): boolean {
  if (routeFakeControls(state, req, res)) return true;
  if (req.path !== '/eventsub/subscriptions') return false;
  const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (req.method === 'POST') {
    const body = parse(req.body);
    if (body?.transport?.method !== 'websocket') return false;
    create(state, req, res, bearer, body);
    return true;
  }
  if (bearer === 'app-token') return false;
  const owner = authorize(state, req, res, bearer);
  if (!owner) return true;
  const own = state.subscriptions.filter(
    (s) => s.transport.method === 'websocket' && ownersOf(state).get(s.id) === owner.userId,
  );
  if (req.method === 'GET') {
    const enabledCost = own.filter((s) => s.status === 'enabled').reduce((sum, s) => sum + s.cost, 0);
    json(res, 200, {
      data: own,
      total: own.length,
      total_cost: enabledCost,
      max_total_cost: MAX_TOTAL_COST,
      pagination: {},
    });
  } else if (req.method === 'DELETE') {
    const index = state.subscriptions.findIndex((s) => s.id === req.query.get('id') && own.includes(s));
    if (index < 0) return (error(res, 404, 'subscription not found'), true);
    state.subscriptions.splice(index, 1);
    res.writeHead(204).end();
  } else return false;
  return true;
}

/** Per fake: subscription id → the user whose token created it (Helix keeps it, never shows it). */
const owners = new WeakMap<FakeTwitch, Map<string, string>>();
function ownersOf(state: FakeTwitch): Map<string, string> {
  let map = owners.get(state);
  if (!map) owners.set(state, (map = new Map()));
  return map;
}

interface CreateBody {
  type: string;
  version: string;
  condition: Record<string, string>;
  transport: { method: string; session_id?: string };
}

function parse(text: string): CreateBody | undefined {
  try {
    return JSON.parse(text) as CreateBody;
  } catch {
    return undefined;
  }
}

function authorize(
  state: FakeTwitch,
  req: RecordedRequest,
  res: ServerResponse,
  bearer: string,
): FakeToken | undefined {
  const owner = state.tokens.get(bearer);
  if (bearer === 'app-token') {
    error(
      res,
      400,
      'The websocket transport requires a user access token; app access tokens cannot create websocket subscriptions',
    );
    return undefined;
  }
  if (!owner || owner.expired) {
    error(res, 401, 'Invalid OAuth token');
    return undefined;
  }
  if (req.headers['client-id'] !== state.clientId) {
    error(res, 401, 'Client-Id header does not match the client id of the token');
    return undefined;
  }
  return owner;
}

function create(
  state: FakeTwitch,
  req: RecordedRequest,
  res: ServerResponse,
  bearer: string,
  body: CreateBody,
): void {
  const owner = authorize(state, req, res, bearer);
  if (!owner) return;
  const failure = state.createFailures.shift();
  if (failure) return error(res, failure, 'scripted failure');
  const sessionId = body.transport.session_id;
  if (!sessionId) return error(res, 400, 'The session_id field is required for websocket transport');
  const session = state.webSockets?.sessions.get(sessionId);
  if (!session?.open || session.movedTo) {
    return error(res, 400, 'websocket transport session does not exist or has already disconnected');
  }
  const needed = SCOPES[body.type] ?? [];
  const actingUsers = ['moderator_user_id', 'user_id'].map((f) => body.condition[f]).filter(Boolean);
  if (
    needed.some((scope) => !owner.scopes.includes(scope)) ||
    actingUsers.some((id) => id !== owner.userId)
  ) {
    return error(res, 403, 'subscription missing proper authorization');
  }
  const mine = state.subscriptions.filter(
    (s) =>
      s.transport.method === 'websocket' &&
      s.status === 'enabled' &&
      ownersOf(state).get(s.id) === owner.userId,
  );
  const onSession = mine.filter((s) => s.transport.session_id === sessionId);
  const sameKey = (s: FakeSubscription) =>
    s.type === body.type && JSON.stringify(sorted(s.condition)) === JSON.stringify(sorted(body.condition));
  if (onSession.some((s) => sameKey(s) && s.version === body.version)) {
    return error(res, 409, 'subscription already exists');
  }
  if (state.subscriptions.filter((s) => s.status === 'enabled' && sameKey(s)).length >= 3) {
    return error(res, 429, 'maximum subscriptions with type and condition exceeded');
  }
  const otherSessions = new Set(mine.map((s) => s.transport.session_id).filter((id) => id !== sessionId));
  if (onSession.length === 0 && otherSessions.size >= MAX_CONNECTIONS) {
    return error(res, 429, 'number of websocket transports limit exceeded');
  }
  if (onSession.length >= MAX_PER_SESSION) {
    return error(res, 429, `maximum of ${MAX_PER_SESSION} subscriptions per websocket transport exceeded`);
  }
  // No cost when the user named in the condition is the one who authorized us (their own token).
  const cost = Object.values(body.condition).includes(owner.userId) ? 0 : 1;
  const totalCost = mine.reduce((sum, s) => sum + s.cost, 0);
  if (totalCost + cost > MAX_TOTAL_COST) return error(res, 429, 'subscription cost exceeds max_total_cost');
  const sub: FakeSubscription = {
    id: randomUUID(),
    status: 'enabled',
    type: body.type,
    version: body.version,
    condition: body.condition,
    transport: { method: 'websocket', session_id: sessionId, connected_at: session.connectedAt },
    created_at: twitchTimestamp(),
    cost,
  };
  state.subscriptions.push(sub);
  ownersOf(state).set(sub.id, owner.userId);
  session.subscribed = true;
  json(res, 202, {
    data: [sub],
    total: mine.length + 1,
    total_cost: totalCost + cost,
    max_total_cost: MAX_TOTAL_COST,
  });
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
