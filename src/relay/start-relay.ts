import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { registerBacklogGauges } from '../observability/backlog-gauges.js';
import { createReceiver } from '../receiver/receiver.js';
import { openStore } from '../store/open-store.js';
import { startRetention } from '../store/retention.js';
import type { Store } from '../store/store.js';
import { timedWrites } from '../store/timed-writes.js';
import { buildDelivery } from '../delivery/config/build-delivery.js';
import { createIntake, type RelayIntake } from '../delivery/intake.js';
import { createSinkRegistry } from '../sinks/registry.js';
import type { SinkKind } from '../sinks/sink.js';
import { gracefulCloser } from '../server/graceful-close.js';
import { createRelayServer } from '../server/relay-server.js';
import { listen } from '../server/listen.js';
import { createRevocationHandler } from '../subscriptions/revocation-handler.js';
import { invalidSignatureMessage } from '../config/secret-source.js';
import { startLiveStreams, type LiveStreams } from '../stream/live-streams.js';
import { prepareWebSocketTransport } from '../transports/websocket/open.js';
import { prepareConduitTransport } from '../transports/conduit/open.js';
import type { SessionSetupError } from '../transports/websocket/errors.js';

/** The OBS alert page shipped with the package (examples/overlay), served at /overlay/. */
const OVERLAY_DIR = fileURLToPath(new URL('../../examples/overlay/', import.meta.url));

/** A running relay: its address, its store and intake, and how to stop it. */
export interface RunningRelay {
  url: string;
  port: number;
  store: Store;
  /** The door the webhook receiver feeds; another transport (or a test) may feed it too. */
  intake: RelayIntake;
  /** The sinks it delivers to (name and kind), for the start-up line. */
  sinks: readonly { name: string; kind: string }[];
  stop(): Promise<void>;
}

export interface StartRelayOptions {
  /** Sink kinds of your own, beside the built-in ones, that the config file's `sinks:` may name. */
  sinkKinds?: readonly SinkKind<never>[];
  /** TRANSPORT=websocket: called when the session cannot go on without a person (e.g. a dead token). */
  onTransportFailure?: (error: SessionSetupError) => void;
  /**
   * A store you built (any implementation of `Store`), used instead of opening STORE_URL. The relay
   * warms it up and uses it until `stop()` resolves, but never closes it: you own it, close it after
   * `stop()` (or after startRelay failed). A store the relay opened itself, it closes.
   */
  store?: Store;
}

/**
 * The composition room: builds the relay from one loaded config — store, sinks and delivery worker,
 * intake, webhook receiver, HTTP server, revocation handling, retention — starts listening, and
 * returns once the service accepts requests. Pending deliveries from an earlier run resume at once.
 */
export async function startRelay(
  config: RelayConfig,
  logger: Logger,
  options: StartRelayOptions = {},
): Promise<RunningRelay> {
  const kinds = createSinkRegistry(options.sinkKinds);
  const store =
    options.store ??
    (await openStore(config.storeUrl, {
      onBackgroundError: (error) =>
        logger.warn({ err: error }, 'store connection dropped while idle; the next write reconnects'),
    }));
  // The caller owns a store it passed in; the relay closes only the one it opened.
  const closeStore = options.store ? async () => undefined : () => store.close();
  const metrics = createMetrics();
  let delivery;
  let streams: LiveStreams;
  try {
    await store.warmUp((message) => logger.error(message));
    delivery = await buildDelivery(config, kinds, store, logger, metrics);
    streams = await startLiveStreams(config, store, logger);
  } catch (error) {
    await closeStore();
    throw error;
  }
  const { route, worker, definitions } = delivery;
  // TRANSPORT=websocket: checked before listening, so a missing token or scope stops the start.
  let websocket;
  try {
    websocket =
      config.transport === 'websocket'
        ? await prepareWebSocketTransport(config)
        : config.transport === 'conduit'
          ? await prepareConduitTransport(config, logger)
          : undefined;
  } catch (error) {
    streams.stop();
    await worker.stop(0);
    await closeStore();
    throw error;
  }
  // Store-backed gauges (pending, dead, oldest pending age per sink), read at each scrape.
  registerBacklogGauges(metrics, () => store.deliveryBacklog(definitions.map((d) => d.name)));
  const intake = createIntake({ store: timedWrites(store, metrics), route, worker, logger });
  intake.onStored(({ envelope }) =>
    metrics.eventsStored.inc({ type: envelope.type, message_type: envelope.messageType }),
  );
  // Stored revocations: log the command that restores them (and recreate them with AUTO_RESUBSCRIBE),
  // after Twitch has its answer. WebSocket revocations get their own advice from the transport
  // (a webhook recreation would be wrong for them).
  if (!websocket) {
    const onRevocation = createRevocationHandler(config, logger);
    intake.onStored(({ envelope }) => onRevocation(envelope));
  }
  // Live streams read what is new from the store (one read per wake-up, for every client).
  intake.onStored(() => streams.wake());
  const receive = createReceiver({
    secrets: () => config.secrets,
    intake,
    invalidSignatureMessage: invalidSignatureMessage(config.secretFile),
  });
  const server = createRelayServer({
    receive,
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    logger,
    metrics,
    checkReady: () => store.checkWritable(),
    stream: streams.service,
    overlayDir: OVERLAY_DIR,
  });

  const closeGracefully = gracefulCloser(server);
  try {
    await listen(server, config.host, config.port);
  } catch (error) {
    // Nothing was accepted yet: release the store and the sinks before reporting the problem.
    streams.stop();
    await worker.stop(0);
    await closeStore();
    throw error;
  }
  worker.start();
  // WebSocket events go through the same door as webhooks: one intake, deduplicated by message id.
  const transport = websocket?.start({
    intake,
    logger,
    metrics,
    onFatal: options.onTransportFailure ?? (() => undefined),
  });
  // Retention: delete delivered / dead events older than RETENTION_DAYS, in small batches.
  const retention = startRetention(store, { retentionDays: config.retentionDays, logger });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    intake,
    sinks: definitions.map(({ name, kind }) => ({ name, kind })),
    stop() {
      stopping ??= (async () => {
        await transport?.stop();
        // Streams end before the server closes: an open stream would hold it until the force timeout.
        streams.stop();
        await closeGracefully(config.shutdownTimeoutMs);
        await worker.stop(config.shutdownTimeoutMs);
        await retention.stop();
        await closeStore();
      })();
      return stopping;
    },
  };
}
