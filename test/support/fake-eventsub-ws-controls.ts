import type { ServerResponse } from 'node:http';
import type { FakeTwitch, RecordedRequest } from './fake-twitch.js';
import { json } from './fake-twitch-json.js';

const PREFIX = '/_fake/eventsub-ws/';

/** A plausible event of `type` for the channel in `condition` (docs examples' shapes). */
export function sampleEvent(type: string, condition: Record<string, string>): Record<string, unknown> {
  const broadcaster = condition.broadcaster_user_id ?? condition.to_broadcaster_user_id ?? '1337';
  const channel = {
    broadcaster_user_id: broadcaster,
    broadcaster_user_login: 'streamer',
    broadcaster_user_name: 'Streamer',
  };
  const now = new Date().toISOString();
  if (type === 'channel.follow') {
    return { user_id: '1234', user_login: 'cool_user', user_name: 'Cool_User', ...channel, followed_at: now };
  }
  if (type === 'stream.online') return { id: '9001', ...channel, type: 'live', started_at: now };
  return { ...channel };
}

/**
 * Buttons for a person trying the fake by hand (`npm run fake-twitch`), on the Helix port:
 *   POST /_fake/eventsub-ws/notify?type=channel.follow   [body: the event JSON; default a sample]
 *   POST /_fake/eventsub-ws/reconnect                    (session_reconnect to every open session)
 *   POST /_fake/eventsub-ws/close?code=4000              (close every open session with that code)
 *   POST /_fake/eventsub-ws/revoke?id=<subscription id>&status=authorization_revoked
 * Each answers what it sent. Twitch has no such endpoints: they stand in for things happening.
 */
export function routeFakeControls(state: FakeTwitch, req: RecordedRequest, res: ServerResponse): boolean {
  if (req.method !== 'POST' || !req.path.startsWith(PREFIX)) return false;
  const ws = state.webSockets;
  if (!ws) return (json(res, 404, { message: 'no fake EventSub WebSocket server is running' }), true);
  const action = req.path.slice(PREFIX.length);
  const open = ws.openSessions().filter((s) => !s.movedTo);
  if (action === 'notify') {
    const type = req.query.get('type') ?? 'channel.follow';
    const sub = state.subscriptions.find(
      (s) => s.type === type && s.status === 'enabled' && s.transport.method === 'websocket',
    );
    if (!sub) return (json(res, 404, { message: `no enabled websocket subscription of ${type}` }), true);
    const event = req.body.trim()
      ? (JSON.parse(req.body) as Record<string, unknown>)
      : sampleEvent(type, sub.condition);
    return (json(res, 200, { type, message_ids: ws.notify(type, event) }), true);
  }
  if (action === 'reconnect') {
    for (const session of open) ws.requestReconnect(session.id);
    return (json(res, 200, { sessions: open.map((s) => s.id) }), true);
  }
  if (action === 'close') {
    const code = Number(req.query.get('code') ?? 4000);
    for (const session of open) ws.closeSession(session.id, code);
    return (json(res, 200, { sessions: open.map((s) => s.id), code }), true);
  }
  if (action === 'revoke') {
    const id = ws.revoke(req.query.get('id') ?? '', req.query.get('status') ?? 'authorization_revoked');
    return (
      json(res, id ? 200 : 404, id ? { message_id: id } : { message: 'no such open subscription' }),
      true
    );
  }
  return (json(res, 404, { message: `unknown control ${action}` }), true);
}
