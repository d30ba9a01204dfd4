import { sendJsonError } from '../admin-errors.js';
import { eventPage, deliveryView, liveLine } from '../event-views.js';
import { positiveInt, stringParam } from '../query-params.js';
import type { RouteGroup } from '../route-group.js';

/** Most events one page of a list may hold. */
const MAX_PAGE = 200;

/**
 * GET  /api/events?before=<seq>&limit=&type=&status=&sink=  events newest first, paged by seq
 * GET  /api/events/recent?before=<seq>&limit=                the Live page's lines (gist, users, text)
 * GET  /api/events/:id                                       the Event page: payload, deliveries, attempts
 * POST /api/events/:id/replay {"sink"?}                      queue the event's deliveries again
 */
export const eventRoutes: RouteGroup = (router, { store, sinks, worker }) => {
  const configured = sinks.map((sink) => sink.name);

  router.get('/events', async (req, res) => {
    const limit = positiveInt(req, 'limit', MAX_PAGE) ?? 50;
    const before = positiveInt(req, 'before');
    const status = stringParam(req, 'status');
    if (status !== undefined && !['pending', 'delivered', 'dead'].includes(status))
      return sendJsonError(res, 400, 'bad_request', 'status must be pending, delivered or dead');
    const type = stringParam(req, 'type');
    const sink = stringParam(req, 'sink');
    const events = await store.listEvents({
      limit,
      ...(before !== undefined && { beforeSeq: before }),
      ...(type && { type }),
      ...(sink && { sink }),
      ...(status && { status: status as 'pending' | 'delivered' | 'dead' }),
    });
    res.json({
      events: events.map((event) => ({ ...event, deliveries: event.deliveries.map(deliveryView) })),
      // Keyset paging: the next page is the events before the last one here.
      next: events.length === limit ? events[events.length - 1]!.seq : null,
    });
  });

  router.get('/events/recent', async (req, res) => {
    const limit = positiveInt(req, 'limit', MAX_PAGE) ?? 50;
    const before = positiveInt(req, 'before') ?? (await store.latestSeq()) + 1;
    // A range of the primary key (seq), read forwards: the `limit` seqs below `before`.
    const from = Math.max(0, before - 1 - limit);
    const events = (await store.readEventsAfter(from, limit)).filter((event) => event.seq < before);
    res.json({ events: events.reverse().map(liveLine), next: from > 0 ? from + 1 : null });
  });

  router.get('/events/:id', async (req, res) => {
    const detail = await store.getEvent(req.params.id);
    if (!detail)
      return sendJsonError(
        res,
        404,
        'unknown_event',
        `no event with message id ${req.params.id} in the store (retention may have deleted it)`,
      );
    res.json(eventPage(detail, configured));
  });

  router.post('/events/:id/replay', async (req, res) => {
    const sink = (req.body as { sink?: unknown } | undefined)?.sink;
    if (sink !== undefined && typeof sink !== 'string')
      return sendJsonError(res, 400, 'bad_request', 'sink must be a sink name, or left out for every sink');
    const detail = await store.getEvent(req.params.id);
    if (!detail)
      return sendJsonError(
        res,
        404,
        'unknown_event',
        `no event with message id ${req.params.id} in the store`,
      );
    if (sink !== undefined && !configured.includes(sink))
      return sendJsonError(
        res,
        400,
        'unknown_sink',
        `this relay has no sink named "${sink}" (its sinks: ${configured.join(', ') || 'none'}); nothing was replayed`,
      );
    const targets = detail.deliveries
      .map((delivery) => delivery.sink)
      .filter((name) => configured.includes(name) && (sink === undefined || name === sink));
    if (targets.length === 0)
      return sendJsonError(
        res,
        409,
        'no_delivery',
        sink
          ? `event ${req.params.id} has no delivery to sink "${sink}" (the sink did not exist when it arrived, or its filter left it out); nothing was replayed`
          : `event ${req.params.id} has no delivery to a configured sink; nothing was replayed`,
      );
    let requeued = 0;
    for (const name of targets) requeued += await store.requeue({ ids: [req.params.id], sink: name });
    worker.notify(targets);
    res.json({ requeued, sinks: targets });
  });
};
