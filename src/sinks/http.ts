import { Agent, errors, request } from 'undici';
import { z } from 'zod';
import { redactUrlsIn } from '../observability/redact-url.js';
import { timeoutMsOption, DeliveryError, defineSinkKind, type Sink } from './sink.js';
import { envelopeToJson } from '../twitch/envelope-json.js';
import { createWebhookSigner } from './webhook-signer.js';
import type { Envelope } from '../twitch/envelope.js';

const optionsSchema = z.strictObject({
  url: z.url({ message: 'must be an http(s) URL, e.g. http://127.0.0.1:9000/hook' }),
  secret: z
    .string()
    .regex(
      /^whsec_[A-Za-z0-9+/=]{24,}$/,
      'must be a Standard Webhooks secret: whsec_<base64 of 24+ random bytes>',
    ),
  /** Per request; at most 45 s (the worker's lease on a delivery must outlast the attempt). */
  timeoutMs: timeoutMsOption(10_000),
  /** Extra request headers (e.g. Authorization). Their values are never logged. */
  headers: z.record(z.string(), z.string()).default({}),
});
type HttpSinkOptions = z.infer<typeof optionsSchema>;

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * POSTs the envelope as JSON, signed per Standard Webhooks (`webhook-id` = Twitch message id, so
 * a consumer deduplicates Twitch retries and our own redeliveries alike). 2xx = delivered; 410 =
 * the endpoint asked to be dropped; 429/503 honour Retry-After; anything else is retried.
 */
class HttpSink implements Sink {
  private readonly sign: (id: string, at: Date, body: string) => string;
  // One keep-alive pool per sink: a slow consumer cannot starve another sink's connections.
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

  constructor(
    readonly name: string,
    private readonly options: HttpSinkOptions,
  ) {
    this.sign = createWebhookSigner(options.secret);
  }

  async deliver(envelope: Envelope, signal: AbortSignal): Promise<void> {
    const body = envelopeToJson(envelope);
    const now = new Date();
    const headers = {
      ...this.options.headers,
      'content-type': 'application/json',
      'user-agent': 'eventsub-relay',
      'webhook-id': envelope.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': this.sign(envelope.id, now, body),
    };
    let response;
    try {
      // undici's own timers bound the wait for the answer and its body (the worker's deadline,
      // `signal`, bounds the whole attempt): no timer or combined signal of our own per request.
      response = await request(this.options.url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      await response.body.dump();
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError)
        throw new DeliveryError(`timeout after ${this.options.timeoutMs} ms`);
      if (signal.aborted) throw signal.reason;
      throw new DeliveryError(`connection failed: ${redactUrlsIn((error as Error).message)}`);
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) return;
    if (status === 410)
      throw new DeliveryError('HTTP 410 Gone: the consumer asked to stop deliveries', { gone: true });
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after']) : undefined;
    throw new DeliveryError(`HTTP ${status}`, retryAfterMs === undefined ? {} : { retryAfterMs });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export const httpSinkKind = defineSinkKind({
  kind: 'http',
  description: 'POST each envelope as JSON to a URL, signed with Standard Webhooks',
  optionsSchema,
  secretFields: ['secret'],
  create: (options, context) => new HttpSink(context.name, options),
});
