import type { Router } from 'express';
import type { MinuteRing } from '../../observability/minute-ring.js';
import type { SinkBacklog } from '../../store/store.js';
import type { RelayOperations } from '../operations.js';
import { needsOperations, operationFailed } from './sync.js';

export interface HealthRouteDeps {
  /** Per-minute figures of the last hour (events, acknowledgement latency, backlog). */
  ring: MinuteRing;
  /** Pending and dead deliveries per configured sink, now. */
  backlog(): Promise<SinkBacklog[]>;
  operations: RelayOperations | undefined;
}

/** `GET /api/health` (the last hour, per minute) and `POST /api/doctor` (the doctor report, run now). */
export function registerHealthRoutes(router: Router, deps: HealthRouteDeps): void {
  router.get('/health', async (_req, res) => {
    const sinks = await deps.backlog();
    // The current minute's backlog is the one just read: the chart's last point is now.
    deps.ring.recordBacklog(sinks.reduce((sum, s) => sum + s.pending, 0));
    res.json({ minutes: deps.ring.figures(), sinks });
  });
  router.post('/doctor', async (_req, res) => {
    if (!needsOperations(deps.operations, res)) return;
    try {
      res.json({ findings: await deps.operations.doctor() });
    } catch (error) {
      operationFailed(res, error);
    }
  });
}
