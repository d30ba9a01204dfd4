import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Decision } from '../receiver/decision.js';
import type { Receive } from '../receiver/receiver.js';
import { TwitchHeader } from '../twitch/headers.js';
import { BodyAlreadyParsedError, BodyTooLargeError, IncompleteBodyError, readBody } from './read-body.js';
import { reportIncompleteBody } from './incomplete-body.js';
import { DEFAULT_DISCARD_LIMITS, refuseUnreadBody, type DiscardLimits } from './discard-body.js';
import { sendJsonError } from './json-error.js';
import type { SecurityHeaders } from './security-headers.js';

export interface CallbackHandlerOptions {
  receive: Receive;
  maxBodyBytes: number;
  logger: Logger;
  metrics: Metrics;
  /** helmet's headers, for every answer (see precomputedSecurityHeaders). */
  securityHeaders: SecurityHeaders;
  /** How much of an oversized body is still read and dropped so the client reads its 413. */
  discardLimits?: DiscardLimits;
}

/**
 * POST /callback on plain node:http: Twitch's hot path skips express's router and body parsers
 * entirely (raw bytes are all the signature check may see), while helmet's headers still apply.
 * Every rejection is logged exactly once: 405 at info (scanners and browsers, not Twitch), the
 * receiver's 400/403 and the 413 at warn, a store that cannot commit (503) at error, a body that
 * never fully arrived (the client hung up or stalled past the deadline) at info.
 */
export function createCallbackEndpoint(options: CallbackHandlerOptions) {
  const { receive, logger, metrics, securityHeaders } = options;
  const discardLimits = options.discardLimits ?? DEFAULT_DISCARD_LIMITS;
  // The 204 is written in one go with helmet's headers as a raw list (no setHeader per header).
  const acknowledged = securityHeaders.headerList;
  const stored = metrics.callbackRequests.labels('stored');

  return async function handleCallback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      securityHeaders(req, res);
      res.setHeader('Allow', 'POST');
      logger.info(
        { status: 405, method: req.method, reason: 'method_not_allowed' },
        'callback rejected: only POST is accepted on /callback',
      );
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
      if (error instanceof IncompleteBodyError) return reportIncompleteBody(req, error, logger, metrics);
      securityHeaders(req, res);
      if (error instanceof BodyAlreadyParsedError) {
        logger.error({ status: 500, reason: 'body_already_parsed' }, error.message);
        return sendJsonError(res, 500, 'body_already_parsed', error.message);
      }
      if (!(error instanceof BodyTooLargeError)) {
        // Storage failed: answer 503 so Twitch retries later; nothing was acknowledged.
        logger.error(
          { status: 503, reason: 'store_unavailable', err: error },
          'callback rejected: could not store event; answering 503 so Twitch retries',
        );
        metrics.callbackRequests.inc({ outcome: 'store_unavailable' });
        return sendJsonError(
          res,
          503,
          'store_unavailable',
          'the event store is unavailable; Twitch will retry',
        );
      }
      const message = `body is larger than MAX_BODY_BYTES (${error.limit}); Twitch messages are far smaller`;
      logRejection(logger, req, 413, 'payload_too_large', message);
      metrics.callbackRequests.inc({ outcome: 'payload_too_large' });
      return refuseUnreadBody(
        req,
        res,
        () => sendJsonError(res, 413, 'payload_too_large', message),
        discardLimits,
      );
    }

    if (decision.kind === 'stored') stored.inc();
    else
      metrics.callbackRequests.inc({ outcome: decision.kind === 'rejected' ? decision.code : decision.kind });
    if (decision.kind !== 'stored' && decision.kind !== 'duplicate') securityHeaders(req, res);
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
        // Guarded: the object and the message would be built for nothing at every request otherwise.
        if (logger.isLevelEnabled('debug')) {
          logger.debug(
            {
              messageId: decision.envelope.id,
              type: decision.envelope.type,
              messageType: decision.envelope.messageType,
              outcome: decision.kind,
            },
            `${decision.envelope.messageType} received`,
          );
        }
        res.writeHead(204, acknowledged as string[]);
        res.end();
        return;
      case 'rejected':
        logRejection(logger, req, decision.status, decision.code, decision.message);
        return sendJsonError(res, decision.status, decision.code, decision.message);
    }
  };
}

/** One warn line per rejected POST: the reason and the message id, never another header's value. */
function logRejection(logger: Logger, req: IncomingMessage, status: number, reason: string, message: string) {
  const id = req.headers[TwitchHeader.messageId];
  // The id is not validated yet when the body is refused: keep a forged one from flooding the log.
  const messageId = typeof id === 'string' ? id.slice(0, 128) : undefined;
  logger.warn({ status, reason, messageId }, `callback rejected: ${message}`);
}
