import type { RouteGroup } from '../route-group.js';
import { opsRoutes } from './ops.js';
import { sessionRoutes } from './session.js';
import { alertRoutes } from './alerts.js';

/**
 * Every route group of the admin API, registered in this order behind the auth middleware. A new
 * group is a new file in this folder exporting a RouteGroup, plus one line here.
 */
export const ROUTE_GROUPS: readonly RouteGroup[] = [sessionRoutes, opsRoutes, alertRoutes];
