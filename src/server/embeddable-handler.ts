import type { IncomingMessage, ServerResponse } from 'node:http';
import { relayHelmet } from './relay-helmet.js';
import type { Intake } from '../intake/port.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { createReceiver } from '../receiver/receiver.js';
import { createCallbackEndpoint } from './callback-handler.js';
import { precomputedSecurityHeaders } from './security-headers.js';

export interface EmbeddedCallbackOptions {
  /** Accepted EventSub secrets: the current one first, then previous ones while rotating. */
  secrets: readonly string[] | (() => readonly string[]);
  /** Where verified events go: a running relay's `intake` (startRelay), or your own. */
  intake: Intake;
  /** Larger bodies are refused with 413 (default 1 MiB; Twitch's are a few KiB). */
  maxBodyBytes?: number;
  /** Rejections and store failures are logged here (default: nothing is logged). */
  logger?: Logger;
}

/** `(req, res, next?)`: a node:http request listener and an express (4 or 5) handler at once. */
export type CallbackHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * The relay's /callback as a handler for an app of your own, like @octokit/webhooks'
 * createNodeMiddleware: `app.post('/twitch/callback', createCallbackHandler({ secrets, intake }))`.
 * It answers exactly as the relay does (challenge, 204 after `intake.accept` resolved, every 4xx)
 * and verifies the signature on the raw bytes: it reads the body itself, so mount it before any
 * JSON body parser (a body express.raw() already read is used as is; a parsed one is refused with
 * a 500 that says so).
 */
export function createCallbackHandler(options: EmbeddedCallbackOptions): CallbackHandler {
  const secrets = typeof options.secrets === 'function' ? options.secrets : () => options.secrets as string[];
  const logger = options.logger ?? createLogger('silent');
  const endpoint = createCallbackEndpoint({
    receive: createReceiver({ secrets, intake: options.intake }),
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    logger,
    metrics: createMetrics(),
    securityHeaders: precomputedSecurityHeaders(relayHelmet()),
  });
  return (req, res, next) => {
    endpoint(req, res).catch((error: unknown) => {
      if (next) return next(error);
      logger.error({ err: error }, 'callback handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}
