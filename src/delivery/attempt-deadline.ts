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
export function withDeadline<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  deadlineMs: number,
  stop: AbortSignal,
): Promise<T> {
  // One controller per attempt, linked to `stop` by a listener removed afterwards (rather than
  // AbortSignal.any, which would hang one dependent per attempt on the long-lived stop signal).
  // Written as one promise with a settled flag: this runs once per delivery, thousands a second.
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = () => {
      settled = true;
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
    };
    const abort = (reason: DeliveryError) => {
      if (settled) return;
      finish();
      controller.abort(reason);
      reject(reason);
    };
    const onStop = () => abort(new DeliveryError('attempt aborted: the relay is stopping'));
    const timer = setTimeout(
      () => abort(new DeliveryError(`no result within ${deadlineMs} ms; attempt aborted`)),
      deadlineMs,
    );
    if (stop.aborted) return onStop();
    stop.addEventListener('abort', onStop, { once: true });
    let running: Promise<T>;
    try {
      running = attempt(controller.signal);
    } catch (error) {
      finish();
      return reject(error);
    }
    // Whichever loses the race is ignored: a late result or failure of an aborted attempt.
    Promise.resolve(running).then(
      (value) => {
        if (settled) return;
        finish();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        finish();
        reject(error);
      },
    );
  });
}
