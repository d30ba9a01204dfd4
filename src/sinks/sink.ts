import type { z } from 'zod';
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
 * schedule's next step; `gone` means the destination asked never to be called again (HTTP 410).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly hints: { retryAfterMs?: number; gone?: boolean } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What a sink kind gets when it is built: its own name, a logger, and the data folder. */
export interface SinkContext {
  name: string;
  logger: Logger;
  dataDir: string;
}

/**
 * One kind of sink (`http`, `file`, `redis-stream`, …). Its options schema drives config-file
 * validation; `secretFields` name the options never to be logged.
 */
export interface SinkKind<Options = unknown> {
  readonly kind: string;
  readonly description: string;
  readonly optionsSchema: z.ZodType<Options>;
  readonly secretFields: readonly string[];
  create(options: Options, context: SinkContext): Sink | Promise<Sink>;
}

/** Helper so each sink file can declare its kind with full type inference. */
export function defineSinkKind<Options>(kind: SinkKind<Options>): SinkKind<Options> {
  return kind;
}
