import { Gauge } from 'prom-client';
import type { Metrics } from './metrics.js';

/** One sink's backlog (the store's SinkBacklog, declared here where it is used). */
export interface BacklogRow {
  sink: string;
  pending: number;
  dead: number;
  oldestPendingReceivedAt: Date | null;
}

/** A scrape reads all three gauges: one store query serves them if it is this fresh. */
const SHARED_FOR_MS = 1000;

/**
 * Per-sink delivery gauges, read from the store when Prometheus scrapes (prom-client `collect`), so
 * nothing is counted on the hot path and the figures are right across restarts and replicas: pending
 * deliveries, dead ones, and the age of the oldest pending one's event. A failed read keeps the last
 * values (the scrape still answers).
 */
export function registerBacklogGauges(
  metrics: Metrics,
  readBacklog: () => Promise<BacklogRow[]>,
  now: () => number = Date.now,
): void {
  let latest: { at: number; rows: Promise<BacklogRow[] | undefined> } | undefined;
  const backlog = () => {
    if (!latest || now() - latest.at > SHARED_FOR_MS) {
      latest = { at: now(), rows: readBacklog().catch(() => undefined) };
    }
    return latest.rows;
  };
  const gauge = (name: string, help: string, value: (row: BacklogRow) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['sink'] as const,
      registers: [metrics.registry],
      async collect() {
        const rows = await backlog();
        for (const row of rows ?? []) this.set({ sink: row.sink }, value(row));
      },
    });
  gauge(
    'eventsub_deliveries_pending',
    'Deliveries waiting to be delivered (due now or at their next retry), per sink',
    (row) => row.pending,
  );
  gauge(
    'eventsub_deliveries_oldest_pending_age_seconds',
    "Age of the event of a sink's oldest pending delivery (0 when none is pending), per sink",
    (row) =>
      row.oldestPendingReceivedAt ? Math.max(0, (now() - row.oldestPendingReceivedAt.getTime()) / 1000) : 0,
  );
  gauge(
    'eventsub_deliveries_dead',
    'Deliveries that used up their retry schedule (kept until replayed or retained away), per sink',
    (row) => row.dead,
  );
}
