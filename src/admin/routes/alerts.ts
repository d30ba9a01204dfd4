import type { Request, Response } from 'express';
import type { AlertQueue } from '../../alerts/alert-queue.js';
import { NoAlertForEventError, UnknownAlertEventError } from '../../alerts/alert-queue.js';
import { AlertTestError } from '../../alerts/alert-renderer.js';
import { sendJsonError } from '../admin-errors.js';
import type { AdminContext, RouteGroup } from '../route-group.js';

/** The queue a request names (`stream` in the body or query), or the only one; else answers the error. */
function pickQueue(req: Request, res: Response, context: AdminContext): AlertQueue | undefined {
  const alerts = context.alerts;
  const names = alerts?.streams() ?? [];
  const given: unknown = (req.body as { stream?: unknown } | undefined)?.stream ?? req.query.stream;
  if (given !== undefined && typeof given !== 'string') {
    sendJsonError(res, 400, 'bad_request', '`stream` must be a stream name');
    return undefined;
  }
  if (names.length === 0) {
    sendJsonError(
      res,
      404,
      'no_alert_queue',
      'no stream has an alert queue: add a `streams:` entry (and `alerts:` if it names streams) to eventsub-relay.yml, then restart',
    );
    return undefined;
  }
  const name = given ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) {
    sendJsonError(res, 400, 'stream_required', `several streams have alerts; name one: ${names.join(', ')}`);
    return undefined;
  }
  const queue = alerts!.queue(name);
  if (!queue)
    sendJsonError(
      res,
      404,
      'unknown_stream',
      `no alert queue for stream "${name.slice(0, 64)}"; the streams with alerts are ${names.join(', ')}`,
    );
  return queue;
}

/** `set` of a test request: `{ "user": "Foo", "amount": "500" }`, every value text (numbers taken as text). */
function overridesOf(value: unknown): Record<string, string> | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return '`set` must be an object such as {"user": "Foo", "amount": "500"}';
  const overrides: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field !== 'string' && typeof field !== 'number') return `set.${key} must be text or a number`;
    overrides[key] = String(field);
  }
  return overrides;
}

/**
 * The alert box's controls (docs/alerts.md): GET /api/alerts (every queue's state, or `?stream=`),
 * POST /api/alerts/test {type, set}, /skip, /pause, /resume, /replay {eventId}; each POST may name
 * the `stream` and answers with the queue's new state. A request that is refused changes nothing.
 */
export const alertRoutes: RouteGroup = (router, context) => {
  router.get('/alerts', (req, res) => {
    if (req.query.stream !== undefined) {
      const queue = pickQueue(req, res, context);
      if (queue) res.json(queue.snapshot());
      return;
    }
    const alerts = context.alerts;
    res.json({ streams: (alerts?.streams() ?? []).map((name) => alerts!.queue(name)!.snapshot()) });
  });

  router.post('/alerts/test', (req, res) => {
    const body = (req.body ?? {}) as { type?: unknown; set?: unknown };
    if (typeof body.type !== 'string' || body.type === '')
      return sendJsonError(res, 400, 'bad_request', '`type` must be an EventSub type, e.g. "channel.cheer"');
    const overrides = overridesOf(body.set);
    if (typeof overrides === 'string') return sendJsonError(res, 400, 'bad_request', overrides);
    const queue = pickQueue(req, res, context);
    if (!queue) return;
    try {
      const alert = queue.test(body.type, overrides);
      res.json({ alert, queue: queue.snapshot() });
    } catch (error) {
      if (!(error instanceof AlertTestError)) throw error;
      sendJsonError(res, 400, 'bad_test_alert', error.message);
    }
  });

  router.post('/alerts/skip', (req, res) => {
    const queue = pickQueue(req, res, context);
    if (!queue) return;
    const skipped = queue.skip();
    res.json({ skipped, queue: queue.snapshot() });
  });

  router.post('/alerts/pause', (req, res) => {
    const queue = pickQueue(req, res, context);
    if (!queue) return;
    queue.pause();
    res.json({ queue: queue.snapshot() });
  });

  router.post('/alerts/resume', (req, res) => {
    const queue = pickQueue(req, res, context);
    if (!queue) return;
    queue.resume();
    res.json({ queue: queue.snapshot() });
  });

  router.post('/alerts/replay', async (req, res) => {
    const eventId: unknown = (req.body as { eventId?: unknown } | undefined)?.eventId;
    if (typeof eventId !== 'string' || eventId === '' || eventId.length > 200)
      return sendJsonError(
        res,
        400,
        'bad_request',
        '`eventId` must be the Twitch message id of a stored event (`eventsub-relay events list`)',
      );
    const queue = pickQueue(req, res, context);
    if (!queue) return;
    try {
      const alert = await queue.replay(eventId);
      res.json({ alert, queue: queue.snapshot() });
    } catch (error) {
      if (error instanceof UnknownAlertEventError)
        return sendJsonError(res, 404, 'unknown_event', error.message);
      if (error instanceof NoAlertForEventError) return sendJsonError(res, 422, 'no_alert', error.message);
      throw error;
    }
  });
};
