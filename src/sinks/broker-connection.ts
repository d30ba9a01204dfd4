import { DeliveryError } from './sink.js';

/**
 * Resolves once `isReady()` holds, waiting at most `timeoutMs` for the connection to come (back) up;
 * otherwise rejects with a retryable DeliveryError. A broker that is down costs each delivery at most
 * `timeoutMs`, and only in its own sink's lane.
 */
export async function waitUntilReady(
  isReady: () => boolean,
  onReady: (listener: () => void) => void,
  offReady: (listener: () => void) => void,
  timeoutMs: number,
  signal: AbortSignal,
  notReadyMessage: string,
): Promise<void> {
  if (isReady()) return;
  await new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      offReady(listener);
      signal.removeEventListener('abort', aborted);
      if (error) reject(error);
      else resolve();
    };
    const listener = () => finish();
    const aborted = () => finish(new DeliveryError(`${notReadyMessage}; delivery aborted`));
    const timer = setTimeout(() => finish(new DeliveryError(`${notReadyMessage}; will retry`)), timeoutMs);
    onReady(listener);
    signal.addEventListener('abort', aborted, { once: true });
  });
}
