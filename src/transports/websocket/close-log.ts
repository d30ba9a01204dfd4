import type { Logger } from '../../observability/logger.js';
import { closeAdvice } from './close-codes.js';
import type { SessionConnection } from './connection.js';

/**
 * One line per closed connection: why this side closed it, or — when Twitch (or the network) did —
 * the close code with Twitch's reason, what it means and what to do, at the code's level.
 */
export function logClose(logger: Logger, connection: SessionConnection, code: number, reason: string): void {
  const sessionId = connection.sessionId;
  if (connection.closedBecause) {
    logger.info({ code, sessionId, why: connection.closedBecause }, 'WebSocket connection closed');
    return;
  }
  const advice = closeAdvice(code, reason);
  logger[advice.level](
    { code, reason: advice.reason, sessionId, advice: advice.advice },
    `Twitch closed the EventSub WebSocket with ${code} (${advice.reason}): ${advice.meaning}. ${advice.advice}`,
  );
}
