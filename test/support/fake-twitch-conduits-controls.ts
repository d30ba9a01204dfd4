import type { ServerResponse } from 'node:http';
import type { FakeTwitch, RecordedRequest } from './fake-twitch.js';
import { json } from './fake-twitch-json.js';
import { sampleEvent } from './fake-eventsub-ws-controls.js';

const PREFIX = '/_fake/conduits/';

/**
 * Buttons for a person trying conduits by hand (`npm run fake-twitch`), on the Helix port:
 *   POST /_fake/conduits/notify?type=channel.follow[&broadcaster_user_id=1337]  [body: the event JSON]
 *   POST /_fake/conduits/advance-clock?hours=72   (moves the clock the 72 h rule counts on)
 * Each answers what it did. Twitch has no such endpoints: they stand in for things happening.
 */
export function routeConduitControls(state: FakeTwitch, req: RecordedRequest, res: ServerResponse): boolean {
  if (req.method !== 'POST' || !req.path.startsWith(PREFIX)) return false;
  const action = req.path.slice(PREFIX.length);
  if (action === 'notify') {
    const type = req.query.get('type') ?? 'channel.follow';
    const broadcaster = req.query.get('broadcaster_user_id');
    const condition: Record<string, string> = broadcaster ? { broadcaster_user_id: broadcaster } : {};
    const sub = state.subscriptions.find(
      (s) =>
        s.type === type &&
        s.status === 'enabled' &&
        s.transport.method === 'conduit' &&
        (!broadcaster || s.condition.broadcaster_user_id === broadcaster),
    );
    if (!sub) return (json(res, 404, { message: `no enabled conduit subscription of ${type}` }), true);
    const event = req.body.trim()
      ? (JSON.parse(req.body) as Record<string, unknown>)
      : sampleEvent(type, sub.condition);
    return (json(res, 200, { type, routed: state.conduits.notify(type, event, { condition }) }), true);
  }
  if (action === 'advance-clock') {
    const hours = Number(req.query.get('hours') ?? 72);
    if (!Number.isFinite(hours) || hours <= 0)
      return (json(res, 400, { message: 'hours must be a positive number' }), true);
    return (json(res, 200, { deleted: state.conduits.advanceClock(hours * 3600_000) }), true);
  }
  return (json(res, 404, { message: `unknown control ${action}` }), true);
}
