import type { RouteGroup } from '../route-group.js';
import { alertRoutes } from './alerts.js';
import { deliveryRoutes } from './deliveries.js';
import { eventRoutes } from './events.js';
import { liveRoutes } from './live.js';
import { opsRoutes } from './ops.js';
import { sessionRoutes } from './session.js';
import { sinkRoutes } from './sinks.js';

/**
 * Every route group of the admin API, registered in this order behind the auth middleware. A new
 * group is a new file in this folder exporting a RouteGroup, plus one line here.
 */
export const ROUTE_GROUPS: readonly RouteGroup[] = [
  sessionRoutes,
  eventRoutes,
  liveRoutes,
  deliveryRoutes,
  sinkRoutes,
  opsRoutes,
  alertRoutes,
];
