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
  /** Every line it writes carries `sink: <name>` already: a kind adds its own fields, not that one. */
  logger: Logger;
  dataDir: string;
}

/**
 * One kind of sink (`http`, `file`, `redis-stream`, …). Its options schema (a strict object: unknown
 * keys are config errors) drives config-file validation; `secretFields` name the options never to be
 * logged (URL credentials and header values are masked for every kind). A numeric `timeoutMs` option,
 * when the kind has one, is how long one attempt may run before the worker aborts it through the
 * `deliver` signal (what bounds it, and the default for kinds without one, is the worker's business).
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

/** The `timeoutMs` option of a sink kind: milliseconds one attempt may take. */
export function timeoutMsOption(defaultMs: number) {
  return z.number().int().positive().default(defaultMs);
}
