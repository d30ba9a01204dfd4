import { DeliveryError } from '../sinks/sink.js';

/** How long a claimed delivery stays leased to the worker that claimed it. */
export const DEFAULT_LEASE_MS = 60_000;
/**
 * The longest one delivery attempt may be allowed (a kind's `timeoutMs` option), checked once when
 * the sinks are configured: the lease always outlasts the attempt plus recording its result, so no
 * other worker can claim a delivery that is still being tried.
 */
export const MAX_ATTEMPT_TIMEOUT_MS = 45_000;
/** Per-attempt deadline for sinks whose kind has no `timeoutMs` option (file, log, …). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
/** Extra time after a sink's own `timeoutMs`, so the sink's own timeout (and its message) wins. */
export const ABORT_GRACE_MS = 1_000;
/** Time a lease must leave after the deadline for recording the attempt's outcome. */
export const RECORDING_MARGIN_MS = 5_000;

/** The worker's deadline for one attempt of a sink with these (validated) options. */
export function attemptDeadlineMs(options: unknown): number {
  const timeoutMs = (options as { timeoutMs?: unknown } | null)?.timeoutMs;
  return typeof timeoutMs === 'number'
    ? Math.min(timeoutMs, MAX_ATTEMPT_TIMEOUT_MS) + ABORT_GRACE_MS
    : DEFAULT_ATTEMPT_TIMEOUT_MS;
}

/**
 * Runs one attempt with a deadline: at `deadlineMs` (or when `stop` aborts) the signal given to the
 * attempt is aborted and the returned promise rejects at once with a retryable DeliveryError, even if
 * the sink ignores the signal and never settles. The worker can then record the failure while it
 * still holds the lease, instead of waiting on a hung handler past it.
 */
export async function withDeadline<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  deadlineMs: number,
  stop: AbortSignal,
): Promise<T> {
  // One controller per attempt, linked to `stop` by a listener removed afterwards (rather than
  // AbortSignal.any, which would hang one dependent per attempt on the long-lived stop signal).
  const controller = new AbortController();
  const onStop = () => controller.abort(new DeliveryError('attempt aborted: the relay is stopping'));
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DeliveryError(`no result within ${deadlineMs} ms; attempt aborted`)),
    deadlineMs,
  );
  const aborted = new Promise<never>((_resolve, reject) => {
    const signal = controller.signal;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  const running = Promise.resolve().then(() => attempt(controller.signal));
  // Whichever loses the race must not surface later as an unhandled rejection.
  running.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([running, aborted]);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}
