import type { IncomingMessage } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { refusalOf } from './client-error.js';
import type { IncompleteBodyError } from './read-body.js';

/**
 * A /callback request whose body never fully arrived: the client's doing, so it is logged once at
 * info and counted under its own outcome, never as a store failure. When Node cut it (a stall past
 * the request deadline: 408) the clientError listener has already answered and logged it, and only
 * the count is added here; a client that hung up gets its one line here. There is no one to answer.
 */
export function reportIncompleteBody(
  req: IncomingMessage,
  error: IncompleteBodyError,
  logger: Logger,
  metrics: Metrics,
): void {
  const refusal = refusalOf(req.socket);
  metrics.callbackRequests.inc({ outcome: refusal ?? 'client_closed' });
  if (refusal) return;
  logger.info(
    { reason: 'client_closed', receivedBytes: error.received },
    'callback abandoned: the client closed the connection before sending the whole body; nothing was stored',
  );
}
