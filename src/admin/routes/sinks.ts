import type { SinkHealthSnapshot } from '../../delivery/sink-health.js';
import type { SinkBacklog } from '../../store/store.js';
import type { RouteGroup } from '../route-group.js';

type SinkState = 'healthy' | 'failing' | 'recovering' | 'disabled';

/**
 * failing: the latest attempt failed. recovering: it succeeded, but deliveries that failed in the
 * last hour are still pending. disabled: the sink answered 410. healthy: otherwise.
 */
function stateOf(health: SinkHealthSnapshot | undefined, backlog: SinkBacklog): SinkState {
  if (health?.disabledReason) return 'disabled';
  if (health?.lastOutcome === 'failure') return 'failing';
  if (health?.lastOutcome === 'success' && health.failedLastHour > 0 && backlog.pending > 0)
    return 'recovering';
  return 'healthy';
}

/** GET /api/sinks: each configured sink's state, backlog, oldest pending age, last error, success rate. */
export const sinkRoutes: RouteGroup = (router, { store, sinks, worker }) => {
  router.get('/sinks', async (_req, res) => {
    const backlogs = await store.deliveryBacklog(sinks.map((sink) => sink.name));
    const health = worker.health();
    const now = Date.now();
    res.json({
      sinks: sinks.map(({ name, kind }, index) => {
        const backlog = backlogs[index]!;
        const h = health.get(name);
        const attempts = (h?.succeededLastHour ?? 0) + (h?.failedLastHour ?? 0);
        return {
          name,
          kind,
          state: stateOf(h, backlog),
          pending: backlog.pending,
          dead: backlog.dead,
          oldestPendingAgeSeconds: backlog.oldestPendingReceivedAt
            ? Math.max(0, Math.round((now - backlog.oldestPendingReceivedAt.getTime()) / 1000))
            : null,
          lastError: h?.lastError ?? null,
          lastErrorAt: h?.lastErrorAt?.toISOString() ?? null,
          lastSuccessAt: h?.lastSuccessAt?.toISOString() ?? null,
          attemptsLastHour: attempts,
          successRateLastHour: attempts === 0 ? null : (h?.succeededLastHour ?? 0) / attempts,
          disabledReason: h?.disabledReason ?? null,
        };
      }),
    });
  });
};
