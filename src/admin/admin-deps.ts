import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import type { DeliveryWorker } from '../delivery/delivery-worker.js';
import type { LiveStreams } from '../stream/live-streams.js';
import type { OpsRouteDeps } from './ops-deps.js';
import type { OverlayAlerts } from '../alerts/overlay-alerts.js';

/** A sink as the relay built it: its name and kind (its options may hold secrets and stay out). */
export interface AdminSink {
  name: string;
  kind: string;
}

/**
 * What the admin API's route groups work with: the relay's parts as the composition root built
 * them. A route group takes what it needs from here; nothing in it opens or closes a part.
 */
export interface AdminDeps {
  /** The token that opens the API (DASHBOARD_TOKEN or DATA_DIR/dashboard-token). */
  token: string;
  config: RelayConfig;
  logger: Logger;
  metrics: Metrics;
  /** Every store role; a route group uses the one it needs (EventInspector, DeliveryQueue …). */
  store: Store;
  worker: DeliveryWorker;
  sinks: readonly AdminSink[];
  streams: LiveStreams;
  /** What the operating routes (sync, subscriptions, test events, health, streams) need; without it they are not served. */
  ops?: OpsRouteDeps;
  /** The alert box's queues (skip, pause, resume, replay, test); absent: no alert routes answer. */
  alerts?: OverlayAlerts;
}
