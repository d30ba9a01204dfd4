import type { Router } from 'express';
import { z } from 'zod';
import type { DeliveryQueue, EventInspector } from '../../store/store.js';
import { sendJsonError } from '../admin-errors.js';
import { replayDeliveries, ReplayRefused } from '../replay.js';

const replaySchema = z.strictObject({
  ids: z.array(z.string().min(1).max(200)).max(1000).default([]),
  since: z.iso.datetime({ offset: true }).optional(),
  type: z.string().min(1).max(200).optional(),
  sink: z.string().min(1).max(100).optional(),
  status: z.enum(['pending', 'dead']).optional(),
});

export interface ReplayRouteDeps {
  store: EventInspector & DeliveryQueue;
  /** The sinks this relay delivers to: a replay queues deliveries to these only. */
  sinkNames(): readonly string[];
}

/**
 * `POST /api/replay`: `events replay` with the running relay's sinks — by message ids, or by
 * since / type / sink / status. 409 when it would replay nothing useful (nothing queued then).
 */
export function registerReplayRoutes(router: Router, deps: ReplayRouteDeps): void {
  router.post('/replay', async (req, res) => {
    const parsed = replaySchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendJsonError(res, 400, 'bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const { ids, since, ...rest } = parsed.data;
    try {
      const result = await replayDeliveries(
        deps.store,
        ids,
        { ...rest, ...(since && { since: new Date(since) }) },
        deps.sinkNames(),
      );
      res.json(result);
    } catch (error) {
      if (error instanceof ReplayRefused)
        return sendJsonError(res, 409, 'nothing_replayed', error.userMessage);
      throw error;
    }
  });
}
