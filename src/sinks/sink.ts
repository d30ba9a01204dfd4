import { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import type { Envelope } from '../twitch/envelope.js';

/**
 * Where delivered events go. `deliver` resolves when the destination has accepted the envelope
 * (durably, as far as that destination can tell) and rejects otherwise; the worker retries on
 * rejection. The same envelope may be offered again after a crash, so destinations should
 * deduplicate on `envelope.id` (Twitch's message id).
 */
export interface Sink {
  readonly name: string;
  deliver(envelope: Envelope, signal: AbortSignal): Promise<void>;
  /**
   * True for a sink whose delivery is a local write that cannot meaningfully fail or be retried
   * (the log sink): a new event's `deliver` is then called once the event is durable, before the
   * 204, and its delivery is recorded as delivered in the event's own transaction — no claim, no
   * lane. Replayed deliveries still go through the worker's lane.
   */
  readonly inline?: boolean;
  close?(): Promise<void>;
}

/**
 * A failed delivery with hints for the worker: `retryAfterMs` (e.g. from Retry-After) overrides the
 * schedule's next step; `gone` means the destination asked never to be called again (HTTP 410);
 * `response` is what the destination answered (at most RESPONSE_KEPT_BYTES), kept with the attempt.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly hints: { retryAfterMs?: number; gone?: boolean; response?: string } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** How much of a destination's answer to a failed attempt is kept with the attempt (`events show`). */
export const RESPONSE_KEPT_BYTES = 1024;

/** What a sink kind gets when it is built: its own name, a logger, and the data folder. */
export interface SinkContext {
  name: string;
  logger: Logger;
  dataDir: string;
}

/**
 * One kind of sink (`http`, `file`, `redis-stream`, …). Its options schema (a strict object: unknown
 * keys are config errors) drives config-file validation; `secretFields` name the options never to be
 * logged (URL credentials and header values are masked for every kind). A numeric `timeoutMs` option,
 * when the kind has one, is how long the worker lets one attempt run before aborting it through the
 * `deliver` signal (otherwise 30 s); it may not exceed MAX_ATTEMPT_TIMEOUT_MS.
 */
export interface SinkKind<Options = unknown> {
  readonly kind: string;
  readonly description: string;
  readonly optionsSchema: z.ZodType<Options>;
  readonly secretFields: readonly string[];
  /** Deliveries in flight at once when the entry sets no `concurrency` (default 8). */
  readonly defaultConcurrency?: number;
  create(options: Options, context: SinkContext): Sink | Promise<Sink>;
}

/** Helper so each sink file can declare its kind with full type inference. */
export function defineSinkKind<Options>(kind: SinkKind<Options>): SinkKind<Options> {
  return kind;
}

/**
 * The longest one delivery attempt may be allowed (a kind's `timeoutMs` option). The worker leases a
 * claimed delivery for 60 s and aborts an attempt at its deadline, so the lease always outlasts the
 * attempt plus recording its result: no other worker can claim a delivery that is still being tried.
 */
export const MAX_ATTEMPT_TIMEOUT_MS = 45_000;

/** The `timeoutMs` option of a sink kind: per attempt, at most MAX_ATTEMPT_TIMEOUT_MS. */
export function attemptTimeoutOption(defaultMs: number) {
  return z
    .number()
    .int()
    .positive()
    .max(
      MAX_ATTEMPT_TIMEOUT_MS,
      `must be at most ${MAX_ATTEMPT_TIMEOUT_MS} ms: one attempt must end well inside the worker's 60 s lease on a delivery`,
    )
    .default(defaultMs);
}
