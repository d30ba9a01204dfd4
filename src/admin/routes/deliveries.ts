import { sendJsonError } from '../admin-errors.js';
import { deliveryView } from '../event-views.js';
import { positiveInt, stringParam } from '../query-params.js';
import type { RouteGroup } from '../route-group.js';

const MAX_PAGE = 200;
/** Dead deliveries read per step of a bulk replay (a range of the dead index each time). */
const REPLAY_BATCH = 500;

/**
 * GET  /api/deliveries?sink=&status=dead|pending&before=<delivery id>&limit=   newest first, paged by id
 * POST /api/deliveries/replay {"sink", "status": "dead"}                       queue every dead one again
 */
export const deliveryRoutes: RouteGroup = (router, { store, sinks, worker }) => {
  const configured = sinks.map((sink) => sink.name);

  router.get('/deliveries', async (req, res) => {
    const status = stringParam(req, 'status') ?? 'dead';
    if (status !== 'dead' && status !== 'pending')
      return sendJsonError(res, 400, 'bad_request', 'status must be dead or pending');
    const sink = stringParam(req, 'sink');
    const limit = positiveInt(req, 'limit', MAX_PAGE) ?? 50;
    const before = positiveInt(req, 'before');
    const rows = await store.listDead({
      status,
      limit,
      ...(sink && { sink }),
      ...(before !== undefined && { beforeId: before }),
    });
    res.json({
      deliveries: rows.map((row) => ({
        ...deliveryView(row),
        deliveryId: row.deliveryId,
        eventSeq: row.eventSeq,
        eventId: row.eventId,
        type: row.type,
        receivedAt: row.receivedAt,
      })),
      next: rows.length === limit ? rows[rows.length - 1]!.deliveryId : null,
    });
  });

  router.post('/deliveries/replay', async (req, res) => {
    const body = (req.body ?? {}) as { sink?: unknown; status?: unknown };
    if (body.status !== 'dead')
      return sendJsonError(res, 400, 'bad_request', 'send {"sink": "<name>", "status": "dead"}');
    if (typeof body.sink !== 'string' || !configured.includes(body.sink))
      return sendJsonError(
        res,
        400,
        'unknown_sink',
        `name one of this relay's sinks (${configured.join(', ') || 'none'}); nothing was replayed`,
      );
    const sink = body.sink;
    // Paged through the dead index, newest first; each page's events are queued again at once.
    let requeued = 0;
    let before: number | undefined;
    for (;;) {
      const page = await store.listDead({
        sink,
        status: 'dead',
        limit: REPLAY_BATCH,
        ...(before !== undefined && { beforeId: before }),
      });
      if (page.length === 0) break;
      requeued += await store.requeue({ ids: page.map((row) => row.eventId), sink });
      if (page.length < REPLAY_BATCH) break;
      before = page[page.length - 1]!.deliveryId;
    }
    worker.notify([sink]);
    res.json({ requeued, sink });
  });
};
