import type { Redis } from 'ioredis';
import { z } from 'zod';
import { redactUrl, redactUrlsIn } from '../observability/redact-url.js';
import type { Envelope } from '../twitch/envelope.js';
import { waitUntilReady } from './broker-connection.js';
import { DeliveryError, defineSinkKind, type Sink, type SinkContext } from './sink.js';
import { envelopeToJson } from '../twitch/envelope-json.js';

const optionsSchema = z.object({
  url: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0')
    .default('redis://127.0.0.1:6379'),
  /** Kept out of the URL so the URL can be logged; `${REDIS_PASSWORD}` in the config file. */
  password: z.string().min(1).optional(),
  stream: z.string().min(1).default('eventsub'),
  /** Approximate cap on the stream length (XADD MAXLEN ~ n); unset keeps every entry. */
  maxLen: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().default(5_000),
});
type RedisStreamOptions = z.infer<typeof optionsSchema>;

/**
 * XADDs each envelope to a Redis stream with the fields `id` (Twitch message id), `type` and
 * `envelope` (JSON). Delivered = XADD returned an entry id. Redis does not deduplicate: after a crash
 * the same envelope may be added twice, so consumers skip `id`s they have processed.
 */
class RedisStreamSink implements Sink {
  private readonly redis: Redis;

  constructor(
    RedisClient: typeof Redis,
    readonly name: string,
    private readonly options: RedisStreamOptions,
    context: SinkContext,
  ) {
    const target = redactUrl(options.url);
    this.redis = new RedisClient(options.url, {
      ...(options.password && { password: options.password }),
      lazyConnect: true,
      // Fail fast while disconnected instead of queueing: the worker retries on its own schedule,
      // and a queued XADD could still run after we had recorded the attempt as failed.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.timeoutMs,
      connectTimeout: options.timeoutMs,
      retryStrategy: (times) => Math.min(times * 200, 5_000),
    });
    let up = false;
    this.redis.on('ready', () => {
      up = true;
      context.logger.info({ redis: target }, `sink ${name}: connected to ${target}`);
    });
    // Log a lost connection once, not once per reconnect attempt; ioredis keeps reconnecting.
    this.redis.on('error', (error: Error) => {
      if (!up) return;
      up = false;
      context.logger.warn(
        { redis: target, error: redactUrlsIn(error.message) },
        `sink ${name}: lost ${target}`,
      );
    });
    this.redis.connect().catch((error: Error) => {
      context.logger.warn(
        { redis: target, error: redactUrlsIn(error.message) },
        `sink ${name}: cannot reach ${target} yet; deliveries are retried until it is up`,
      );
    });
  }

  async deliver(envelope: Envelope, signal: AbortSignal): Promise<void> {
    await waitUntilReady(
      () => this.redis.status === 'ready',
      (listener) => this.redis.once('ready', listener),
      (listener) => this.redis.off('ready', listener),
      this.options.timeoutMs,
      signal,
      `Redis at ${redactUrl(this.options.url)} is not reachable (${this.redis.status})`,
    );
    const trim = this.options.maxLen ? ['MAXLEN', '~', String(this.options.maxLen)] : [];
    try {
      const entryId = await this.redis.xadd(
        this.options.stream,
        ...(trim as []),
        '*',
        'id',
        envelope.id,
        'type',
        envelope.type,
        'envelope',
        envelopeToJson(envelope),
      );
      if (!entryId) throw new Error('XADD returned no entry id');
    } catch (error) {
      if ((error as Error).message === 'Command timed out') {
        // ioredis stops waiting, but the XADD may still run once Redis answers: a possible duplicate.
        throw new DeliveryError(
          `redis XADD ${this.options.stream} timed out after ${this.options.timeoutMs} ms; will retry`,
        );
      }
      throw new DeliveryError(
        `redis XADD ${this.options.stream} failed: ${redactUrlsIn((error as Error).message)}`,
      );
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect(false);
  }
}

export const redisStreamSinkKind = defineSinkKind({
  kind: 'redis-stream',
  description: 'XADD each envelope to a Redis stream (fields id, type, envelope)',
  optionsSchema,
  // The URL may carry a password (redis://:pass@host): it is logged only in redacted form by the sink.
  secretFields: ['password', 'url'],
  async create(options, context) {
    // Loaded here, not at the top: the relay loads ioredis only for a configured redis-stream sink.
    const { Redis } = await import('ioredis');
    return new RedisStreamSink(Redis, context.name, options, context);
  },
});
