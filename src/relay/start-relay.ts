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
import { checkSinkNames, resolveSinks } from '../delivery/config/resolve-sinks.js';
import { parseSinkEntries } from '../delivery/config/sink-config.js';
import { provisionDataDir, type ProvisionedDataDir } from '../config/provision.js';
import { createIntake, type RelayIntake } from '../delivery/intake.js';
import { createSinkRegistry } from '../sinks/registry.js';
import type { SinkKind } from '../sinks/sink.js';
import { gracefulCloser } from '../server/graceful-close.js';
import { createRelayServer } from '../server/relay-server.js';
import { listen } from '../server/listen.js';
import { createRevocationHandler } from '../subscriptions/revocation-handler.js';
import { invalidSignatureMessage } from '../config/secret-source.js';
import { startLiveStreams, type LiveStreams } from '../stream/live-streams.js';
import { parseStreamEntries, withStreamTokens } from '../stream/stream-config.js';
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
  /** What provisioning found or generated in DATA_DIR (the EventSub secret and where it is kept, …). */
  provisioned: ProvisionedDataDir;
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
 * The composition room: checks the whole config, provisions DATA_DIR (the one step that writes
 * before anything runs), then builds the relay — store, sinks and delivery worker, intake, webhook
 * receiver, HTTP server, revocation handling, retention — each from its slice of the config, starts
 * listening, and returns once the service accepts requests. Pending deliveries from an earlier run
 * resume at once.
 */
export async function startRelay(
  config: RelayConfig,
  logger: Logger,
  options: StartRelayOptions = {},
): Promise<RunningRelay> {
  const kinds = createSinkRegistry(options.sinkKinds);
  // Everything the config says is checked before DATA_DIR is touched: a mistake creates nothing.
  const { file } = config;
  const fileSinks = parseSinkEntries(kinds, file.sinks);
  checkSinkNames(config.delivery, fileSinks, file.path);
  const streamEntries = parseStreamEntries(file.streams);
  const provisioned = provisionDataDir(
    config,
    streamEntries.filter((entry) => entry.token === undefined).map((entry) => entry.name),
  );
  const definitions = resolveSinks(
    config.delivery,
    fileSinks,
    kinds,
    provisioned.forwardSecret?.value,
    file.path,
  );
  const secrets = provisioned.eventSub.secrets;
  const store =
    options.store ??
    (await openStore(config.store.url, {
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
    delivery = await buildDelivery(
      {
        definitions,
        dataDir: config.dataDir,
        leaseMs: config.delivery.leaseMs,
        ...(provisioned.forwardSecret?.file && { forwardSecretFile: provisioned.forwardSecret.file }),
      },
      kinds,
      store,
      logger,
      metrics,
    );
    streams = await startLiveStreams(
      { settings: config.streams, streams: withStreamTokens(streamEntries, provisioned.streamTokens) },
      store,
      logger,
    );
  } catch (error) {
    await closeStore();
    throw error;
  }
  const { route, worker } = delivery;
  // TRANSPORT=websocket: checked before listening, so a missing token or scope stops the start.
  let websocket;
  try {
    websocket =
      config.transport === 'websocket'
        ? await prepareWebSocketTransport({
            settings: config.websocket,
            twitch: config.twitch,
            tokensDir: config.dataDir,
            file,
          })
        : config.transport === 'conduit'
          ? await prepareConduitTransport(
              {
                websocket: config.websocket,
                shard: config.conduit,
                twitch: config.twitch,
                dataDir: config.dataDir,
                file,
                ...(config.webhook.publicUrl && { publicUrl: config.webhook.publicUrl }),
                secret: secrets[0]!,
              },
              logger,
            )
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
  // Stored revocations of either transport, after Twitch has its answer: one handler logs what
  // restores each and acts for its transport (webhook: recreate with AUTO_RESUBSCRIBE; websocket:
  // out of the session plan, so no later session recreates it).
  const onRevocation = createRevocationHandler(
    {
      dataDir: config.dataDir,
      file,
      twitch: config.twitch,
      secrets,
      ...(config.webhook.publicUrl && { publicUrl: config.webhook.publicUrl }),
    },
    logger,
    {
      ...(websocket &&
        'dropFromSessionPlan' in websocket && { dropFromSessionPlan: websocket.dropFromSessionPlan }),
    },
  );
  intake.onStored(({ envelope }) => onRevocation(envelope));
  // Live streams read what is new from the store (one read per wake-up, for every client).
  intake.onStored(() => streams.wake());
  const receive = createReceiver({
    secrets: () => secrets,
    intake,
    invalidSignatureMessage: invalidSignatureMessage(provisioned.eventSub.file),
  });
  const server = createRelayServer({
    receive,
    maxBodyBytes: config.server.maxBodyBytes,
    trustProxy: config.server.trustProxy,
    logger,
    metrics,
    checkReady: () => store.checkWritable(),
    stream: streams.service,
    overlayDir: OVERLAY_DIR,
  });

  const closeGracefully = gracefulCloser(server);
  try {
    await listen(server, config.server.host, config.server.port);
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
  const retention = startRetention(store, { retentionDays: config.store.retentionDays, logger });
  const { port } = server.address() as AddressInfo;
  const { host } = config.server;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    intake,
    sinks: definitions.map(({ name, kind }) => ({ name, kind })),
    provisioned,
    stop() {
      stopping ??= (async () => {
        await transport?.stop();
        // Streams end before the server closes: an open stream would hold it until the force timeout.
        streams.stop();
        await closeGracefully(config.server.shutdownTimeoutMs);
        await worker.stop(config.server.shutdownTimeoutMs);
        await retention.stop();
        await closeStore();
      })();
      return stopping;
    },
  };
}
