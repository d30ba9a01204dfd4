import type { RouteGroup } from '../route-group.js';
import { sessionRoutes } from './session.js';

/**
 * Every route group of the admin API, registered in this order behind the auth middleware. A new
 * group is a new file in this folder exporting a RouteGroup, plus one line here.
 */
export const ROUTE_GROUPS: readonly RouteGroup[] = [sessionRoutes];
