import type { JetStreamClient, NatsConnection } from 'nats';
import { redactUrl, redactUrlsIn } from '../observability/redact-url.js';
import type { Envelope } from '../twitch/envelope.js';
import { waitUntilReady } from './broker-connection.js';
import { natsOptionsSchema as optionsSchema, type NatsSinkOptions } from './nats-options.js';
import { StreamGuard } from './nats-stream.js';
import { DeliveryError, defineSinkKind, type Sink, type SinkContext } from './sink.js';
import { envelopeToJson } from '../twitch/envelope-json.js';

/**
 * Publishes each envelope to JetStream with `Nats-Msg-Id` = the Twitch message id, so JetStream
 * itself drops re-sends inside the stream's duplicate window. Delivered = the publish ack (a
 * "duplicate" ack too: the message is already in the stream).
 */
class NatsSink implements Sink {
  private connection: NatsConnection | undefined;
  private jetstream: JetStreamClient | undefined;
  private readonly connected = new EventTarget();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly target: string;
  private readonly stream: StreamGuard;

  constructor(
    readonly name: string,
    private readonly options: NatsSinkOptions,
    private readonly context: SinkContext,
  ) {
    this.target = [options.servers].flat().map(redactUrl).join(',');
    this.stream = new StreamGuard(name, options, context.logger);
    void this.connect();
  }

  /**
   * Connects in the background (a broker that is down must not stop the relay from starting), trying
   * again every second until it succeeds or the sink closes. Once connected, nats.js reconnects itself.
   */
  private async connect(): Promise<void> {
    const { logger } = this.context;
    let warned = false;
    while (!this.closed) {
      let connection: NatsConnection;
      try {
        // Loaded here, not at the top: the relay loads the NATS client only for a configured NATS sink.
        const { connect } = await import('nats');
        connection = await connect({
          servers: this.options.servers,
          ...(this.options.user && { user: this.options.user }),
          ...(this.options.pass && { pass: this.options.pass }),
          ...(this.options.token && { token: this.options.token }),
          name: `eventsub-relay/${this.name}`,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1_000,
          timeout: this.options.timeoutMs,
        });
      } catch (error) {
        if (this.closed) return; // closed while this try was under way: no retry timer to leave behind
        if (!warned) {
          warned = true;
          logger.warn(
            { nats: this.target, error: redactUrlsIn((error as Error).message) },
            `sink ${this.name}: cannot reach NATS at ${this.target} yet; deliveries are retried until it is up`,
          );
        }
        await new Promise<void>((resolve) => {
          this.retryTimer = setTimeout(resolve, 1_000);
        });
        continue;
      }
      if (this.closed) return void (await connection.close());
      this.connection = connection;
      // First try now, so the log says at start whether the stream is there; failures are retried
      // by the next delivery (StreamGuard), never left broken until a restart.
      void this.stream.ensure(connection).catch(() => undefined);
      this.jetstream = connection.jetstream({ timeout: this.options.timeoutMs });
      logger.info({ nats: this.target }, `sink ${this.name}: connected to ${this.target}`);
      this.connected.dispatchEvent(new Event('ready'));
      void this.watch(connection);
      return;
    }
  }

  /** Logs disconnects and reconnects (nats.js reconnects by itself). */
  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') {
        this.context.logger.warn({ nats: this.target }, `sink ${this.name}: NATS ${status.type}`);
      }
    }
  }

  async deliver(envelope: Envelope, signal: AbortSignal): Promise<void> {
    await waitUntilReady(
      () => this.jetstream !== undefined,
      (listener) => this.connected.addEventListener('ready', listener, { once: true }),
      (listener) => this.connected.removeEventListener('ready', listener),
      this.options.timeoutMs,
      signal,
      `NATS at ${this.target} is not reachable`,
    );
    await this.stream.ensure(this.connection!);
    const subject = `${this.options.subjectPrefix}.${envelope.type}`;
    try {
      await this.jetstream!.publish(subject, envelopeToJson(envelope), {
        msgID: envelope.id,
        timeout: this.options.timeoutMs,
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '503') {
        throw new DeliveryError(
          `no JetStream stream captures ${subject}; create one (nats stream add ${this.options.stream} ` +
            `--subjects '${this.options.subjectPrefix}.>') or set createStream: true on sink ${this.name}`,
        );
      }
      if (code === 'TIMEOUT') {
        throw new DeliveryError(
          `NATS publish to ${subject} timed out after ${this.options.timeoutMs} ms (no JetStream ack); will retry`,
        );
      }
      throw new DeliveryError(`NATS publish to ${subject} failed: ${redactUrlsIn((error as Error).message)}`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    if (!connection || connection.isClosed()) return;
    // drain() flushes pending publishes but never finishes while the server is unreachable: bound it.
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.timeoutMs)));
    await Promise.race([connection.drain().catch(() => undefined), giveUp]);
    clearTimeout(timer);
    if (!connection.isClosed()) await connection.close();
  }
}

export const natsSinkKind = defineSinkKind({
  kind: 'nats',
  description: 'publish each envelope to NATS JetStream (subject <prefix>.<type>, Nats-Msg-Id = message id)',
  optionsSchema,
  // Server URLs may carry credentials (nats://user:pass@host); the sink logs them only redacted.
  secretFields: ['pass', 'token', 'servers'],
  create: (options, context) => new NatsSink(context.name, options, context),
});
