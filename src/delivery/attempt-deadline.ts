import { setMaxListeners } from 'node:events';
import { DeliveryError } from '../sinks/sink.js';

/**
 * How long a claimed delivery stays leased to the worker that claimed it (DELIVERY_LEASE_MS): a
 * replica that dies holding deliveries leaves them to the others for this long.
 */
export const DEFAULT_LEASE_MS = 60_000;
/**
 * The longest one delivery attempt may be allowed (a kind's `timeoutMs` option), checked once when
 * the sinks are configured: the lease always outlasts the attempt plus recording its result, so no
 * other worker can claim a delivery that is still being tried.
 */
export const MAX_ATTEMPT_TIMEOUT_MS = 45_000;
/**
 * Per-attempt deadline for sinks whose kind has no `timeoutMs` option (file, log, …), shortened
 * under a lease too short for it (see defaultAttemptDeadlineMs).
 */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
/** Extra time after a sink's own `timeoutMs`, so the sink's own timeout (and its message) wins. */
const ABORT_GRACE_MS = 1_000;
/** Time a lease must leave after the deadline for recording the attempt's outcome. */
const RECORDING_MARGIN_MS = 5_000;

/**
 * The worker's deadline for one attempt of a sink with these (validated) options; undefined for a
 * kind without a `timeoutMs` option, whose deadline the lease decides (defaultAttemptDeadlineMs).
 */
export function attemptDeadlineMs(options: unknown): number | undefined {
  const timeoutMs = (options as { timeoutMs?: unknown } | null)?.timeoutMs;
  return typeof timeoutMs === 'number'
    ? Math.min(timeoutMs, MAX_ATTEMPT_TIMEOUT_MS) + ABORT_GRACE_MS
    : undefined;
}

/** The deadline of a kind without `timeoutMs`: 30 s, or less so it ends in time under a short lease. */
export function defaultAttemptDeadlineMs(leaseMs: number): number {
  return Math.min(DEFAULT_ATTEMPT_TIMEOUT_MS, leaseMs - RECORDING_MARGIN_MS);
}

/**
 * Why a sink's attempts cannot run under this lease, or undefined when they fit: an attempt and
 * recording its outcome must end before the lease does, or another worker could claim a delivery
 * that is still being attempted (and send it twice).
 */
export function leaseProblem(sink: string, attemptTimeoutMs: number, leaseMs: number): string | undefined {
  if (attemptTimeoutMs + RECORDING_MARGIN_MS <= leaseMs) return undefined;
  return (
    `${leaseMs} ms is too short for sink ${sink}: one of its attempts may run ${attemptTimeoutMs} ms ` +
    `(its timeoutMs + 1 s), and the lease must last ${RECORDING_MARGIN_MS} ms longer to record the outcome. ` +
    `Set DELIVERY_LEASE_MS to at least ${attemptTimeoutMs + RECORDING_MARGIN_MS}, or lower the sink's timeoutMs`
  );
}

/** Attempts started within this long of each other share one deadline signal and timer. */
const DEADLINE_SLICE_MS = 100;

interface Slice {
  startedAt: number;
  controller: AbortController;
  timer: NodeJS.Timeout;
  /** Rejecters of the attempts of this slice that have not settled yet. */
  pending: Set<(reason: unknown) => void>;
}

/**
 * Deadlines for one lane's attempts. At its deadline (or when `stop` aborts) an attempt's signal
 * is aborted and its promise rejects at once with a retryable DeliveryError, even if the sink
 * ignores the signal and never settles: the worker can then record the failure while it still
 * holds the lease, instead of waiting on a hung handler past it.
 *
 * Attempts started within DEADLINE_SLICE_MS of each other share one AbortController and one
 * timer, aborted `deadlineMs + DEADLINE_SLICE_MS` after the slice began: never before an attempt's
 * deadline, at most 100 ms after it (the lease leaves seconds of margin). A controller and a timer
 * per attempt cost more than the rest of a log-sink delivery did, at thousands a second.
 */
export class AttemptDeadlines {
  private current: Slice | undefined;
  private readonly live = new Set<Slice>();

  constructor(
    private readonly deadlineMs: number,
    private readonly stop: AbortSignal,
    /** How many attempts may listen to one slice's signal at once (the lane's concurrency). */
    private readonly maxListeners: number,
  ) {
    stop.addEventListener(
      'abort',
      () => {
        for (const slice of [...this.live])
          this.expire(slice, new DeliveryError('attempt aborted: the relay is stopping'));
      },
      { once: true },
    );
  }

  /** Runs `attempt` with the lane's deadline; see the class comment. */
  run<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.stop.aborted) return Promise.reject(new DeliveryError('attempt aborted: the relay is stopping'));
    const slice = this.slice();
    return new Promise<T>((resolve, reject) => {
      slice.pending.add(reject);
      const settle = (): boolean => {
        if (!slice.pending.delete(reject)) return false; // the deadline already rejected it
        if (slice !== this.current && slice.pending.size === 0) this.retire(slice);
        return true;
      };
      let running: Promise<T>;
      try {
        running = attempt(slice.controller.signal);
      } catch (error) {
        if (settle()) reject(error);
        return;
      }
      Promise.resolve(running).then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }

  private slice(): Slice {
    const now = performance.now();
    if (this.current && now - this.current.startedAt < DEADLINE_SLICE_MS) return this.current;
    const previous = this.current;
    const controller = new AbortController();
    setMaxListeners(this.maxListeners + 1, controller.signal);
    const slice: Slice = {
      startedAt: now,
      controller,
      pending: new Set(),
      timer: setTimeout(
        () =>
          this.expire(slice, new DeliveryError(`no result within ${this.deadlineMs} ms; attempt aborted`)),
        this.deadlineMs + DEADLINE_SLICE_MS,
      ),
    };
    // Other work keeps the process alive; a slice's timer alone must not.
    slice.timer.unref();
    this.current = slice;
    this.live.add(slice);
    if (previous && previous.pending.size === 0) this.retire(previous);
    return slice;
  }

  /** Aborts a slice's signal and rejects its attempts still running. */
  private expire(slice: Slice, reason: DeliveryError): void {
    this.retire(slice);
    slice.controller.abort(reason);
    for (const reject of slice.pending) reject(reason);
    slice.pending.clear();
  }

  /** A slice with nothing left to guard: its timer goes. */
  private retire(slice: Slice): void {
    clearTimeout(slice.timer);
    this.live.delete(slice);
    if (this.current === slice) this.current = undefined;
  }
}
