import type { Router } from 'express';
import type { RelayOperations } from '../operations.js';
import type { RouteGroup } from '../route-group.js';
import { registerHealthRoutes, type HealthRouteDeps } from './health.js';
import { registerStreamRoutes, type StreamRouteDeps } from './streams.js';
import { registerSubscriptionRoutes } from './subscriptions.js';
import { registerSyncRoutes } from './sync.js';
import { registerTriggerRoutes, type TriggerRouteDeps } from './trigger.js';

/** What the operating routes (sync, subscriptions, test events, health, streams) need from the relay. */
export interface OpsRouteDeps {
  operations: RelayOperations | undefined;
  trigger: TriggerRouteDeps;
  health: Omit<HealthRouteDeps, 'operations'>;
  streams: StreamRouteDeps;
}

/**
 * The routes of the Subscriptions, Test, Health and Streams pages and of the CLI's acting
 * commands, and `GET /api/operations`, which the CLI probes to find a relay it can act through.
 */
export function registerOpsRoutes(router: Router, deps: OpsRouteDeps): void {
  router.get('/operations', (_req, res) => {
    const withTwitch = deps.operations ? ['sync', 'subscriptions', 'doctor'] : [];
    res.json({ operations: ['trigger', 'replay', 'health', 'streams', ...withTwitch] });
  });
  registerTriggerRoutes(router, deps.trigger);
  registerSyncRoutes(router, deps.operations);
  registerSubscriptionRoutes(router, deps.operations);
  registerHealthRoutes(router, { ...deps.health, operations: deps.operations });
  registerStreamRoutes(router, deps.streams);
}

/** The route group (routes/index.ts): served when the composition root hands over `ops`. */
export const opsRoutes: RouteGroup = (router, { ops }) => {
  if (ops) registerOpsRoutes(router, ops);
};
