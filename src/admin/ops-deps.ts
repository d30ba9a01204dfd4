import type { RelayOperations } from './operations.js';
import type { HealthRouteDeps } from './routes/health.js';
import type { StreamRouteDeps } from './routes/streams.js';
import type { TriggerRouteDeps } from './routes/trigger.js';

/** What the operating routes (sync, subscriptions, test events, health, streams) need from the relay. */
export interface OpsRouteDeps {
  operations: RelayOperations | undefined;
  trigger: TriggerRouteDeps;
  health: Omit<HealthRouteDeps, 'operations'>;
  streams: StreamRouteDeps;
}
