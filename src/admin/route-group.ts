import type { Router } from 'express';
import type { AdminDeps } from './admin-deps.js';
import type { SessionStore } from './session-store.js';

/** What a route group is handed: the relay's parts and the API's own sessions. */
export interface AdminContext extends AdminDeps {
  sessions: SessionStore;
}

/**
 * One group of admin routes (events, deliveries, sinks, subscriptions …): registers its handlers on
 * `router`, whose paths are below /api and behind the auth middleware already (a handler sees only
 * authenticated requests, with a valid CSRF token when it changes something).
 */
export type RouteGroup = (router: Router, context: AdminContext) => void;
