import type { Router } from 'express';
import type { OpsRouteDeps } from '../ops-deps.js';
import type { RouteGroup } from '../route-group.js';
import { registerHealthRoutes } from './health.js';
import { registerStreamRoutes } from './streams.js';
import { registerSubscriptionRoutes } from './subscriptions.js';
import { registerSyncRoutes } from './sync.js';
import { registerTriggerRoutes } from './trigger.js';

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
