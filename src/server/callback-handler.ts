import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Decision } from '../receiver/decision.js';
import type { Receive } from '../receiver/receiver.js';
import { adviceForRevocation } from '../twitch/revocation-reasons.js';
import { TwitchHeader } from '../twitch/headers.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { sendJsonError } from './json-error.js';

export interface CallbackHandlerOptions {
  receive: Receive;
  maxBodyBytes: number;
  logger: Logger;
  metrics: Metrics;
  /** Sets the security headers on every answer (helmet's middleware, called directly). */
  securityHeaders: (req: IncomingMessage, res: ServerResponse) => void;
  /** Called after an event is durably stored (wakes the delivery worker). */
  onStored?: (decision: Extract<Decision, { kind: 'stored' }>) => void;
}

/**
 * POST /callback on plain node:http: Twitch's hot path skips express's router and body parsers
 * entirely (raw bytes are all the signature check may see), while helmet's headers still apply.
 */
export function createCallbackHandler(options: CallbackHandlerOptions) {
  const { receive, logger, metrics } = options;

  return async function handleCallback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    options.securityHeaders(req, res);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      logger.info({ method: req.method, reason: 'method_not_allowed' }, 'callback rejected');
      metrics.callbackRequests.inc({ outcome: 'method_not_allowed' });
      req.resume();
      return sendJsonError(
        res,
        405,
        'method_not_allowed',
        'only POST is accepted on /callback (Twitch EventSub)',
      );
    }

    let decision: Decision;
    try {
      const body = await readBody(req, options.maxBodyBytes);
      decision = await receive(req.headers, body);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        decision = {
          kind: 'rejected',
          status: 413,
          code: 'payload_too_large',
          message: `body is larger than MAX_BODY_BYTES (${error.limit}); Twitch messages are far smaller`,
        };
        res.setHeader('Connection', 'close');
      } else {
        // Storage failed: answer 503 so Twitch retries later; nothing was acknowledged.
        logger.error({ err: error }, 'could not store event; answering 503 so Twitch retries');
        metrics.callbackRequests.inc({ outcome: 'store_unavailable' });
        return sendJsonError(
          res,
          503,
          'store_unavailable',
          'the event store is unavailable; Twitch will retry',
        );
      }
    }

    metrics.callbackRequests.inc({ outcome: decision.kind === 'rejected' ? decision.code : decision.kind });
    switch (decision.kind) {
      case 'challenge':
        logger.info({ subscriptionType: decision.subscriptionType }, 'answered Twitch challenge');
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Length': Buffer.byteLength(decision.challenge),
        });
        res.end(decision.challenge);
        return;
      case 'stored':
      case 'duplicate':
        logStored(logger, decision);
        if (decision.kind === 'stored') options.onStored?.(decision);
        res.statusCode = 204;
        res.end();
        return;
      case 'rejected':
        logger.warn(
          { status: decision.status, reason: decision.code, messageId: req.headers[TwitchHeader.messageId] },
          `callback rejected: ${decision.message}`,
        );
        return sendJsonError(res, decision.status, decision.code, decision.message);
    }
  };
}

function logStored(logger: Logger, decision: Extract<Decision, { kind: 'stored' | 'duplicate' }>): void {
  const { envelope } = decision;
  if (envelope.messageType === 'revocation') {
    const status = envelope.subscription.status;
    logger.warn(
      {
        subscriptionId: envelope.subscription.id,
        type: envelope.type,
        status,
        duplicate: decision.kind === 'duplicate',
      },
      `Twitch revoked subscription ${envelope.type} (${status}): ${adviceForRevocation(status)}`,
    );
    return;
  }
  logger.debug(
    { messageId: envelope.id, type: envelope.type, outcome: decision.kind },
    'notification received',
  );
}
