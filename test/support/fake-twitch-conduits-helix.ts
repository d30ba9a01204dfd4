import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FakeSubscription, FakeTwitch, RecordedRequest } from './fake-twitch.js';
import { json } from './fake-twitch-json.js';
import { twitchTimestamp } from './fake-eventsub-ws-messages.js';
import { CONDUIT_LIMITS, type FakeConduit, type FakeShard } from './fake-twitch-conduits.js';
import { routeConduitControls } from './fake-twitch-conduits-controls.js';

const error = (res: ServerResponse, status: number, message: string) =>
  json(res, status, {
    error:
      { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 409: 'Conflict' }[status] ??
      'Too Many Requests',
    status,
    message,
  });

/**
 * Helix's conduit endpoints (https://dev.twitch.tv/docs/api/reference/#get-conduits and the five
 * after it) and subscriptions created with `transport: {method: "conduit", conduit_id}`. Every one
 * takes an app access token. twurple (which the relay uses) reaches them at /mock/eventsub/conduits
 * under TWURPLE_MOCK_API_PORT and sends `shard_count`/`id` as query parameters; the docs show a JSON
 * body: the fake reads either. Returns false for what is not its to answer.
 */
export function routeConduitHelix(state: FakeTwitch, req: RecordedRequest, res: ServerResponse): boolean {
  if (routeConduitControls(state, req, res)) return true;
  const path = req.path.replace(/^\/mock\//, '/');
  if (path === '/eventsub/subscriptions' && req.method === 'POST') {
    const body = parse(req.body) as CreateBody | undefined;
    if (body?.transport?.method !== 'conduit') return false;
    if (appToken(req, res)) createSubscription(state, res, body);
    return true;
  }
  if (path !== '/eventsub/conduits' && path !== '/eventsub/conduits/shards') return false;
  if (!appToken(req, res)) return true;
  const input = { ...Object.fromEntries(req.query), ...(parse(req.body) ?? {}) } as Record<string, unknown>;
  const conduits = state.conduits;
  const find = (id: unknown): FakeConduit | undefined => conduits.conduits.get(String(id));
  const one = (c: FakeConduit) => ({ id: c.id, shard_count: c.shards.length });
  switch (`${req.method} ${path}`) {
    case 'GET /eventsub/conduits':
      return (json(res, 200, { data: [...conduits.conduits.values()].map(one) }), true);
    case 'POST /eventsub/conduits': {
      const count = shardCount(res, input.shard_count);
      if (count === undefined) return true;
      if (conduits.conduits.size >= CONDUIT_LIMITS.conduits)
        return (
          error(res, 429, `conduit limit reached: a client may have ${CONDUIT_LIMITS.conduits} conduits`),
          true
        );
      return (json(res, 200, { data: [one(conduits.create(count))] }), true);
    }
    case 'PATCH /eventsub/conduits': {
      const conduit = find(input.id);
      if (!conduit) return (error(res, 404, 'conduit not found'), true);
      const count = shardCount(res, input.shard_count);
      if (count === undefined) return true;
      conduits.resize(conduit, count);
      return (json(res, 200, { data: [one(conduit)] }), true);
    }
    case 'DELETE /eventsub/conduits':
      if (!conduits.delete(String(input.id))) return (error(res, 404, 'conduit not found'), true);
      return (res.writeHead(204).end(), true);
    case 'GET /eventsub/conduits/shards': {
      const conduit = find(input.conduit_id);
      if (!conduit) return (error(res, 404, 'conduit not found'), true);
      const status = req.query.get('status');
      const listed = conduit.shards.filter((s) => !status || s.status === status);
      const start = Number(req.query.get('after') ?? 0);
      const next = start + state.pageSize < listed.length ? String(start + state.pageSize) : undefined;
      const data = listed.slice(start, start + state.pageSize).map(shardView);
      return (json(res, 200, { data, pagination: next ? { cursor: next } : {} }), true);
    }
    case 'PATCH /eventsub/conduits/shards':
      updateShards(state, res, input);
      return true;
    default:
      return (error(res, 404, `fake has no ${req.method} ${path}`), true);
  }
}

/**
 * Update Conduit Shards: 202 with the shards it updated in `data` and one entry per shard it could
 * not update in `errors` (`{id, message, code}`); at most 100 shards per call (changelog 2026-06-18).
 * A WebSocket shard is a session of the fake's EventSub WebSocket server; a webhook shard gets the
 * signed challenge (fake-twitch-conduits-webhook.ts) and is pending until it echoes it.
 */
function updateShards(state: FakeTwitch, res: ServerResponse, input: Record<string, unknown>): void {
  const conduit = state.conduits.conduits.get(String(input.conduit_id));
  if (!conduit) return error(res, 404, 'conduit not found');
  const shards = input.shards as Array<{
    id?: unknown;
    transport?: { method?: string; session_id?: string; callback?: string; secret?: string };
  }>;
  if (!Array.isArray(shards) || shards.length === 0) return error(res, 400, 'shards is required');
  if (shards.length > CONDUIT_LIMITS.shardsPerUpdate)
    return error(res, 400, `at most ${CONDUIT_LIMITS.shardsPerUpdate} shards may be updated per request`);
  const data: unknown[] = [];
  const errors: Array<{ id: string; message: string; code: string }> = [];
  for (const shard of shards) {
    const id = String(shard.id);
    const method = shard.transport?.method;
    const problem =
      method === 'websocket'
        ? state.conduits.assignWebSocket(conduit, id, String(shard.transport?.session_id))
        : method === 'webhook'
          ? state.conduits.assignWebhook(
              conduit,
              id,
              String(shard.transport?.callback ?? ''),
              String(shard.transport?.secret ?? ''),
            )
          : 'transport.method must be websocket or webhook';
    if (problem) errors.push({ id, message: problem, code: 'invalid_parameter' });
    else data.push(shardView(conduit.shards.find((s) => s.id === id)!));
  }
  json(res, 202, { data, errors });
}

/**
 * A shard as Get Conduit Shards lists it. The docs do not say how a shard that never had a
 * transport is listed; the fake shows it disabled (`websocket_disconnected`) with an empty session.
 */
function shardView(shard: FakeShard) {
  return {
    id: shard.id,
    status: shard.status,
    transport: shard.transport ?? { method: 'websocket', session_id: '', connected_at: '' },
  };
}

interface CreateBody {
  type: string;
  version: string;
  condition: Record<string, string>;
  transport: { method: string; conduit_id?: string };
}

/**
 * A subscription on a conduit: enabled at once (no challenge: the conduit's shards were verified
 * when assigned). Paid from the app's budget like a webhook one; the same type, version and
 * condition twice is 409. The docs state the 409 names the existing subscription but show no body:
 * the fake adds its `id` beside the message, so a client must not rely on it.
 */
function createSubscription(state: FakeTwitch, res: ServerResponse, body: CreateBody): void {
  const conduitId = body.transport.conduit_id;
  if (!conduitId || !state.conduits.conduits.has(conduitId))
    return error(res, 400, 'conduit_id does not name a conduit of this client');
  const failure = state.createFailures.shift();
  if (failure) return error(res, failure, 'scripted failure');
  const same = state.subscriptions.find(
    (s) =>
      s.type === body.type &&
      s.version === body.version &&
      s.transport.method === 'conduit' &&
      ['enabled', 'webhook_callback_verification_pending'].includes(s.status) &&
      JSON.stringify(sorted(s.condition)) === JSON.stringify(sorted(body.condition)),
  );
  if (same)
    return json(res, 409, {
      error: 'Conflict',
      status: 409,
      message: 'subscription already exists',
      id: same.id,
    });
  const sub: FakeSubscription = {
    id: randomUUID(),
    status: 'enabled',
    type: body.type,
    version: body.version,
    condition: body.condition,
    transport: { method: 'conduit', conduit_id: conduitId },
    created_at: twitchTimestamp(),
    cost: 0,
  };
  state.subscriptions.push(sub);
  json(res, 202, { data: [sub], total: state.subscriptions.length, total_cost: 0, max_total_cost: 10000 });
}

function appToken(req: RecordedRequest, res: ServerResponse): boolean {
  if (req.headers.authorization === 'Bearer app-token') return true;
  error(res, 401, 'conduits require an app access token');
  return false;
}

function shardCount(res: ServerResponse, value: unknown): number | undefined {
  const count = Number(value);
  if (Number.isInteger(count) && count >= 1 && count <= CONDUIT_LIMITS.shards) return count;
  error(
    res,
    400,
    `shard_count must be a whole number from 1 to ${CONDUIT_LIMITS.shards}, got ${String(value)}`,
  );
  return undefined;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
