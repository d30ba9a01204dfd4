import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Metrics } from '../observability/metrics.js';
import { sendJsonError } from './json-error.js';
import { healthHandler, readyHandler } from './health-handlers.js';

export interface AppOptions {
  securityHeaders: RequestHandler;
  trustProxy: string;
  /** Throws when the store cannot take writes. */
  checkReady: () => Promise<void>;
  metrics: Metrics;
  /** Folder served at /overlay/ (the OBS alert page, examples/overlay), same origin as /stream. */
  overlayDir?: string;
  /** Registers the admin API's routes on the router served under /api. */
  apiRoutes?: (router: express.Router) => void;
}

/**
 * Everything except /callback: health, readiness and metrics. nginx exposes only /callback, so
 * these stay on loopback.
 */
export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Client addresses come from X-Forwarded-For only when the proxy itself is on loopback (nginx).
  app.set('trust proxy', options.trustProxy);
  app.use(options.securityHeaders);

  app.get('/healthz', healthHandler);
  app.get('/readyz', readyHandler(options.checkReady));

  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  if (options.apiRoutes) {
    const api = express.Router();
    options.apiRoutes(api);
    app.use('/api', api);
  }

  if (options.overlayDir) app.use('/overlay', express.static(options.overlayDir, { index: 'index.html' }));

  app.use((req, res) => {
    sendJsonError(res, 404, 'not_found', `no route for ${req.method} ${req.path}; Twitch posts to /callback`);
  });

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
    sendJsonError(
      res,
      status,
      status === 500 ? 'internal_error' : 'bad_request',
      'request could not be handled',
    );
  };
  app.use(onError);
  return app;
}
