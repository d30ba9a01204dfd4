import { createServer, type Server } from 'node:http';
import helmet from 'helmet';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Receive } from '../receiver/receiver.js';
import { createApp } from './app.js';
import { createCallbackEndpoint } from './callback-handler.js';
import { createClientErrorHandler } from './client-error.js';
import { precomputedSecurityHeaders } from './security-headers.js';
import type { DiscardLimits } from './discard-body.js';
import { STREAM_PATH, type StreamService } from '../stream/stream-service.js';

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
}

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

/**
 * One HTTP server: /callback goes straight to the raw-body handler, every other path to express.
 * Both answer with helmet's security headers; what Node's parser refuses gets JSON too.
 */
export function createRelayServer(options: RelayServerOptions): Server {
  const securityHeaders = helmet();
  const app = createApp({
    securityHeaders,
    trustProxy: options.trustProxy,
    checkReady: options.checkReady,
    metrics: options.metrics,
    ...(options.overlayDir && { overlayDir: options.overlayDir }),
  });
  const handleCallback = createCallbackEndpoint({
    receive: options.receive,
    maxBodyBytes: options.maxBodyBytes,
    logger: options.logger,
    metrics: options.metrics,
    securityHeaders: precomputedSecurityHeaders(securityHeaders),
    ...(options.discardLimits && { discardLimits: options.discardLimits }),
  });

  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = createServer({ connectionsCheckingInterval: timeouts.checkIntervalMs }, (req, res) => {
    const url = req.url ?? '/';
    const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
    if (path === CALLBACK_PATH) {
      handleCallback(req, res).catch((error) => {
        options.logger.error({ err: error }, 'callback handler failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    } else if (options.stream && (path === STREAM_PATH || path.startsWith(STREAM_PATH + '/'))) {
      try {
        options.stream.handle(req, res, new URL(url, 'http://relay.invalid'));
      } catch (error) {
        options.logger.error({ err: error }, 'stream handler failed');
        if (!res.headersSent) res.writeHead(500).end();
      }
    } else {
      app(req, res);
    }
  });
  server.on('clientError', createClientErrorHandler(options.logger));
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = 65_000;
  return server;
}
