import type { ServerResponse } from 'node:http';
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
  /** The admin API (JSON), mounted at /api; it authenticates every request itself. */
  adminApi?: RequestHandler;
  /** Folder served at /dashboard/ (the web dashboard's static files; the data comes from /api). */
  dashboardDir?: string;
  /** Folder served at /overlay/media/: the image, sound and stylesheet files of `alerts:`. */
  alertMediaDir?: string;
}

/**
 * Images, sounds and the page's files may be loaded by an overlay page served from another origin
 * (`?relay=`): helmet's `Cross-Origin-Resource-Policy: same-origin` would make the browser drop them.
 */
function loadableElsewhere(res: ServerResponse): void {
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

/**
 * Everything except /callback: health, readiness, metrics, the overlay, the admin API and the
 * dashboard. nginx exposes only /callback (and /stream, /overlay), so the rest stays on loopback
 * unless the user opens it there (docs/dashboard.md).
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

  // Only files inside the folder: express.static refuses `..` and, with dotfiles: 'deny', hidden files.
  if (options.alertMediaDir)
    app.use(
      '/overlay/media',
      express.static(options.alertMediaDir, {
        index: false,
        dotfiles: 'deny',
        fallthrough: false,
        redirect: false,
        setHeaders: loadableElsewhere,
      }),
    );
  if (options.overlayDir)
    app.use(
      '/overlay',
      express.static(options.overlayDir, { index: 'index.html', setHeaders: loadableElsewhere }),
    );
  if (options.adminApi) app.use('/api', options.adminApi);
  if (options.dashboardDir)
    app.use('/dashboard', express.static(options.dashboardDir, { index: 'index.html' }));

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
