import type { Dispatcher } from 'undici';

/** The undici module, loaded by the first http sink (a relay without one never loads it). */
type Undici = typeof import('undici');
import { z } from 'zod';
import { httpUrlProblem } from '../config/http-url.js';
import { redactUrlsIn } from '../observability/redact-url.js';
import { timeoutMsOption, DeliveryError, defineSinkKind, RESPONSE_KEPT_BYTES, type Sink } from './sink.js';
import { envelopeToJson } from '../twitch/envelope-json.js';
import { createWebhookSigner } from './webhook-signer.js';
import type { Envelope } from '../twitch/envelope.js';

const optionsSchema = z.strictObject({
  url: z.string().superRefine((url, ctx) => {
    const problem = httpUrlProblem(url, 'e.g. http://127.0.0.1:9000/hook');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
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

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * A consumer that verifies Standard Webhooks signatures answers 401/403 when its secret is not ours:
 * the most likely reason by far, so the error (logged, and shown by `events show`) says it.
 */
const REJECTED_SIGNATURE =
  'the consumer refused the request: its signing secret probably differs from this sink’s ' +
  '(FORWARD_SECRET or DATA_DIR/forward-secret for FORWARD_URL, the `secret` of this sink in the config file otherwise)';

/**
 * The first RESPONSE_KEPT_BYTES of an answer's body, with every credential we sent masked (a
 * consumer that echoes the request must not put our header values into the store); the rest is
 * dropped unread with the connection.
 */
async function answerPrefix(body: Dispatcher.ResponseData['body'], sent: readonly string[]): Promise<string> {
  // Read a little past the limit, so a credential that straddles it is masked before the cut.
  const wanted = RESPONSE_KEPT_BYTES + Math.max(0, ...sent.map((value) => Buffer.byteLength(value)));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= wanted) break;
  }
  let text = Buffer.concat(chunks).subarray(0, wanted).toString('utf8');
  for (const value of sent) text = text.replaceAll(value, '***');
  return Buffer.from(text).subarray(0, RESPONSE_KEPT_BYTES).toString('utf8');
}

/**
 * POSTs the envelope as JSON, signed per Standard Webhooks (`webhook-id` = Twitch message id, so
 * a consumer deduplicates Twitch retries and our own redeliveries alike). 2xx = delivered; 410 =
 * the endpoint asked to be dropped; 429/503 honour Retry-After; anything else is retried.
 */
class HttpSink implements Sink {
  private readonly sign: (id: string, at: Date, body: string) => string;
  // One keep-alive pool per sink: a slow consumer cannot starve another sink's connections.
  private readonly agent: Dispatcher;
  /** Values masked in a stored answer: the signing secret and every configured header value. */
  private readonly credentials: string[];

  constructor(
    private readonly undici: Undici,
    readonly name: string,
    private readonly options: HttpSinkOptions,
  ) {
    this.agent = new undici.Agent({ keepAliveTimeout: 30_000, connections: 64 });
    this.sign = createWebhookSigner(options.secret);
    // Whole values and their longer words (the token of `Bearer <token>`), longest first.
    const values = [options.secret, ...Object.values(options.headers)];
    this.credentials = [...new Set([...values, ...values.flatMap((v) => v.split(/\s+/))])]
      .filter((value) => value.length >= 8)
      .sort((a, b) => b.length - a.length);
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
    let response: Dispatcher.ResponseData | undefined;
    let answer: string | undefined;
    try {
      // undici's own timers bound the wait for the answer and its body (the worker's deadline,
      // `signal`, bounds the whole attempt): no timer or combined signal of our own per request.
      response = await this.undici.request(this.options.url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      if (isSuccess(response.statusCode)) await response.body.dump();
      else answer = (await answerPrefix(response.body, this.credentials)) || undefined;
    } catch (error) {
      if (
        error instanceof this.undici.errors.HeadersTimeoutError ||
        error instanceof this.undici.errors.BodyTimeoutError
      )
        throw new DeliveryError(`timeout after ${this.options.timeoutMs} ms`);
      if (signal.aborted) throw signal.reason;
      // A failure that broke off an error's answer: its status below says enough.
      if (!response || isSuccess(response.statusCode))
        throw new DeliveryError(`connection failed: ${redactUrlsIn((error as Error).message)}`);
    }
    const status = response.statusCode;
    if (isSuccess(status)) return;
    const kept = answer === undefined ? {} : { response: answer };
    if (status === 410)
      throw new DeliveryError('HTTP 410 Gone: the consumer asked to stop deliveries', {
        gone: true,
        ...kept,
      });
    if (status === 401 || status === 403)
      throw new DeliveryError(`HTTP ${status}: ${REJECTED_SIGNATURE}`, kept);
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after']) : undefined;
    throw new DeliveryError(`HTTP ${status}`, {
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      ...kept,
    });
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
  async create(options, context) {
    // Loaded here, not at the top: undici is for http sinks only (a relay with the log sink alone never loads it).
    return new HttpSink(await import('undici'), context.name, options);
  },
});
