import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { RequestHandler } from 'express';
import { relayHelmet } from './relay-helmet.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Receive } from '../receiver/receiver.js';
import { createApp } from './app.js';
import { createCallbackEndpoint } from './callback-handler.js';
import { createClientErrorHandler } from './client-error.js';
import { precomputedSecurityHeaders } from './security-headers.js';
import type { DiscardLimits } from './discard-body.js';
import { STREAM_PATH, type StreamService } from '../stream/stream-service.js';
import type { CallbackHandler } from './embeddable-handler.js';
import { healthHandler, readyHandler, type NodeHandler } from './health-handlers.js';

export interface RelayServerOptions {
  receive: Receive;
  maxBodyBytes: number;
  trustProxy: string;
  logger: Logger;
  metrics: Metrics;
  checkReady: () => Promise<void>;
  /** Bounds on reading an oversized body after its 413 (default: DEFAULT_DISCARD_LIMITS). */
  discardLimits?: DiscardLimits;
  /** How long a client may take to send its headers / its whole request (default: DEFAULT_TIMEOUTS). */
  timeouts?: Partial<RequestTimeouts>;
  /** `GET /stream/<name>` (live Server-Sent Events); without it /stream is a 404 like any unknown path. */
  stream?: Pick<StreamService, 'handle'>;
  /** Folder served at /overlay/ (see AppOptions.overlayDir). */
  overlayDir?: string;
  /** The admin API, mounted at /api (see AppOptions.adminApi). */
  adminApi?: RequestHandler;
  /** Folder served at /dashboard/ (see AppOptions.dashboardDir). */
  dashboardDir?: string;
  /** Routes under /overlay/ that are not files (the alert box's `/overlay/<stream>/alerts`). */
  overlay?: OverlayRoutes;
  /** Folder served at /overlay/media/ (see AppOptions.alertMediaDir). */
  alertMediaDir?: string;
}

/** Requests under /overlay/ that a part answers itself; `handle` returns false for the others. */
export interface OverlayRoutes {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

const OVERLAY_PATH = '/overlay/';

/** Deadlines Node's HTTP server enforces per request; past them the client gets 408 (client-error.ts). */
export interface RequestTimeouts {
  headersMs: number;
  requestMs: number;
  /** How often Node looks for requests past their deadline (so a deadline holds to within this). */
  checkIntervalMs: number;
}

/** Twitch waits a few seconds at most; a client that trickles headers or its body is not Twitch. */
const DEFAULT_TIMEOUTS: RequestTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  checkIntervalMs: 5_000,
};

const CALLBACK_PATH = '/callback';

/** The relay's routes one by one, for an app that mounts them itself (see createRelayRoutes). */
export interface RelayHttpHandlers {
  /** POST: Twitch's webhook callback (verified on the raw bytes: mount it before any body parser). */
  callback: CallbackHandler;
  /** GET: a live stream (Server-Sent Events); the stream's name is the last segment of the path. */
  stream: NodeHandler;
  /** GET: 200 while the process answers. */
  health: NodeHandler;
  /** GET: 200 while the store takes writes, else 503. */
  ready: NodeHandler;
}

export interface RelayRoutes {
  handlers: RelayHttpHandlers;
  /** Every route the relay serves on one listener: /callback, /stream/<name>, /healthz, /readyz, /metrics, /overlay/, /api/, /dashboard/. */
  requestListener: RequestListener;
}

/**
 * The relay's HTTP side without a server: /callback goes straight to the raw-body handler, every
 * other path to express. Both answer with helmet's security headers.
 */
export function createRelayRoutes(options: RelayServerOptions): RelayRoutes {
  const securityHeaders = relayHelmet();
  const app = createApp({
    securityHeaders,
    trustProxy: options.trustProxy,
    checkReady: options.checkReady,
    metrics: options.metrics,
    ...(options.overlayDir && { overlayDir: options.overlayDir }),
    ...(options.adminApi && { adminApi: options.adminApi }),
    ...(options.dashboardDir && { dashboardDir: options.dashboardDir }),
    ...(options.alertMediaDir && { alertMediaDir: options.alertMediaDir }),
  });
  const handleCallback = createCallbackEndpoint({
    receive: options.receive,
    maxBodyBytes: options.maxBodyBytes,
    logger: options.logger,
    metrics: options.metrics,
    securityHeaders: precomputedSecurityHeaders(securityHeaders),
    ...(options.discardLimits && { discardLimits: options.discardLimits }),
  });
  const callback: CallbackHandler = (req, res, next) => {
    handleCallback(req, res).catch((error: unknown) => {
      if (next) return next(error);
      options.logger.error({ err: error }, 'callback handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const handleStream = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!options.stream) return app(req, res);
    try {
      options.stream.handle(req, res, url);
    } catch (error) {
      options.logger.error({ err: error }, 'stream handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    }
  };
  const handleOverlay = (overlay: OverlayRoutes, req: IncomingMessage, res: ServerResponse, url: string) => {
    let handled = false;
    try {
      // The security headers first: the alert stream is answered outside express.
      securityHeaders(req as never, res as never, () => undefined);
      handled = overlay.handle(req, res, new URL(url, 'http://relay.invalid'));
    } catch (error) {
      options.logger.error({ err: error }, 'overlay handler failed');
      if (!res.headersSent) res.writeHead(500).end();
      return;
    }
    if (!handled) app(req, res);
  };
  const requestListener: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
    if (path === CALLBACK_PATH) callback(req, res);
    else if (path === STREAM_PATH || path.startsWith(STREAM_PATH + '/'))
      handleStream(req, res, new URL(url, 'http://relay.invalid'));
    else if (options.overlay && path.startsWith(OVERLAY_PATH)) handleOverlay(options.overlay, req, res, url);
    else app(req, res);
  };
  return {
    handlers: {
      callback,
      // Mounted anywhere: the app's path up to the last segment is the app's business.
      stream: (req, res) => {
        const url = new URL(req.url ?? '/', 'http://relay.invalid');
        const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
        handleStream(req, res, new URL(`${STREAM_PATH}/${name}${url.search}`, url));
      },
      health: healthHandler,
      ready: readyHandler(options.checkReady),
    },
    requestListener,
  };
}

/**
 * One HTTP server for every route (createRelayRoutes), with Node's request deadlines and JSON for
 * what Node's parser refuses.
 */
export function createRelayServer(options: RelayServerOptions): Server {
  const { requestListener } = createRelayRoutes(options);
  return serveRoutes(requestListener, options);
}

/** A node:http server for `requestListener`, with the relay's deadlines and client-error answers. */
export function serveRoutes(
  requestListener: RequestListener,
  options: Pick<RelayServerOptions, 'logger' | 'timeouts'>,
): Server {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = createServer({ connectionsCheckingInterval: timeouts.checkIntervalMs }, requestListener);
  server.on('clientError', createClientErrorHandler(options.logger));
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = 65_000;
  return server;
}
