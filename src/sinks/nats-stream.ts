import type { NatsConnection } from 'nats';
import { redactUrlsIn } from '../observability/redact-url.js';
import type { Logger } from '../observability/logger.js';
import type { NatsSinkOptions } from './nats-options.js';
import { DeliveryError } from './sink.js';

type StreamOptions = Pick<
  NatsSinkOptions,
  'stream' | 'subjectPrefix' | 'duplicateWindowMs' | 'createStream' | 'timeoutMs'
>;

/**
 * Creates the JetStream stream for `<subjectPrefix>.>` if it does not exist (only when the sink says
 * `createStream: true`; we never create broker state silently). An existing stream is left as it is.
 */
async function ensureStream(
  connection: NatsConnection,
  options: Omit<StreamOptions, 'createStream'>,
  log: (message: string) => void,
): Promise<void> {
  const manager = await connection.jetstreamManager({ timeout: options.timeoutMs });
  try {
    await manager.streams.info(options.stream);
    log(`JetStream stream ${options.stream} exists; using it as it is`);
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '404') throw error;
  }
  // Loaded here, not at the top: the relay loads the NATS client only for a configured NATS sink.
  const { nanos, StorageType } = await import('nats');
  await manager.streams.add({
    name: options.stream,
    subjects: [`${options.subjectPrefix}.>`],
    storage: StorageType.File,
    duplicate_window: nanos(options.duplicateWindowMs),
  });
  log(
    `created JetStream stream ${options.stream} for ${options.subjectPrefix}.> ` +
      `(file storage, duplicate window ${options.duplicateWindowMs} ms) because createStream is true`,
  );
}

/**
 * With `createStream: true`, nothing is published until the stream exists: the first connect tries to
 * create it, and a failed try (JetStream off, a conflicting stream, a timeout) is tried again by the
 * next delivery — which fails, and is retried on the sink's schedule, until the cause is fixed.
 * Concurrent deliveries share one try; the failure is logged once per outage, not once per delivery.
 */
export class StreamGuard {
  private ready: boolean;
  private trying: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly sinkName: string,
    private readonly options: StreamOptions,
    private readonly logger: Logger,
  ) {
    this.ready = !options.createStream;
  }

  /** Resolves once the stream exists (at once without createStream); rejects with a retryable DeliveryError. */
  ensure(connection: NatsConnection): Promise<void> {
    if (this.ready) return Promise.resolve();
    this.trying ??= ensureStream(connection, this.options, (message) => this.logger.info(message))
      .then(() => {
        this.ready = true;
        if (this.failing) {
          this.logger.info(`sink ${this.sinkName}: JetStream stream is ready now`);
        }
      })
      .catch((error: unknown) => {
        const reason = redactUrlsIn((error as Error).message);
        const message =
          `cannot create JetStream stream ${this.options.stream} for ${this.options.subjectPrefix}.>: ${reason}; ` +
          'is JetStream enabled (nats-server -js), and does no other stream capture these subjects? ' +
          'Tried again on the next delivery';
        if (!this.failing) this.logger.error({ error: reason }, `sink ${this.sinkName}: ${message}`);
        this.failing = true;
        throw new DeliveryError(message);
      })
      .finally(() => {
        this.trying = undefined;
      });
    return this.trying;
  }
}
