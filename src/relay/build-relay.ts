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
import { createRelayRoutes, type RelayRoutes } from '../server/relay-server.js';
import { createRevocationHandler } from '../subscriptions/revocation-handler.js';
import { invalidSignatureMessage } from '../config/secret-source.js';
import { startLiveStreams } from '../stream/live-streams.js';
import { startOverlayAlerts, type OverlayAlerts } from '../alerts/overlay-alerts.js';
import type { ProvisionedDataDir } from '../config/provision.js';
import { checkAndProvision } from './check-and-provision.js';
import { prepareWebSocketTransport } from '../transports/websocket/open.js';
import { prepareConduitTransport } from '../transports/conduit/open.js';
import type { SessionSetupError } from '../transports/websocket/errors.js';
import type { CloserStack } from './closer-stack.js';
import { closingDoor } from './closing-door.js';
import { MinuteRing } from '../observability/minute-ring.js';
import type { RelayOperations } from '../admin/operations.js';
import type { OpsRouteDeps } from '../admin/ops-deps.js';
import { createAdminApi } from '../admin/admin-api.js';

/** The OBS alert page shipped with the package (examples/overlay), served at /overlay/. */
const OVERLAY_DIR = fileURLToPath(new URL('../../examples/overlay/', import.meta.url));
/** The web dashboard's browser files shipped with the package (dashboard/), served at /dashboard/. */
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

export interface StartRelayOptions {
  /** Sink kinds of your own, beside the built-in ones, that the config file's `sinks:` may name. */
  sinkKinds?: readonly SinkKind<never>[];
  /** TRANSPORT=websocket: called when the session cannot go on without a person (e.g. a dead token). */
  onTransportFailure?: (error: SessionSetupError) => void;
  /**
   * A store you built (any implementation of `Store`), used instead of opening STORE_URL. The relay
   * warms it up and uses it until `stop()` resolves, but never closes it: you own it, close it after
   * `stop()` (or after the start failed). A store the relay opened itself, it closes.
   */
  store?: Store;
  /**
   * For tests and embedders that watch the start: called with each part's name (`store`,
   * `sink <name>`, `delivery worker`, `HTTP server`, …) once it is built and its stop is on the
   * stack. Throwing (or rejecting) from it fails the start there, as a failing part would.
   */
  afterPart?: (part: string) => void | Promise<void>;
  /**
   * The Twitch-facing operations (sync, subscribe, doctor) the admin API offers, run with the
   * configuration of whoever started the relay (`eventsub-relay serve` passes its own). Without
   * them those routes answer 501; test events, health and streams work all the same.
   */
  operations?: RelayOperations;
}

/** How often the Health page's backlog figure is sampled when nobody looks at the page. */
const BACKLOG_SAMPLE_MS = 60_000;

/** A relay built but not serving yet: its handlers to mount, and its background work to start. */
export interface ComposedRelay extends RelayRoutes {
  store: Store;
  /** The door the webhook receiver feeds; another transport (or a test) may feed it too. */
  intake: RelayIntake;
  /** The sinks it delivers to (name and kind), for the start-up line. */
  sinks: readonly { name: string; kind: string }[];
  /** What provisioning found or generated in DATA_DIR (the EventSub secret and where it is kept, …). */
  provisioned: ProvisionedDataDir;
  /** The alert queues, one per overlay stream (skip, pause, resume, replay, test, snapshot). */
  alerts: OverlayAlerts;
  /** TRANSPORT=conduit: the shard this relay serves, or `claimed` (replicas claim one through the store). */
  conduitShard?: number | 'claimed';
  /**
   * Starts what runs without requests: deliveries (pending ones from an earlier run resume), the
   * WebSocket session (TRANSPORT=websocket), retention. Call once the handlers are mounted.
   */
  start(): Promise<void>;
  /**
   * Stops every part in the reverse order of building: the background work; the handlers (open
   * streams end, new events get a 503, events in flight finish storing); the delivery worker
   * (in-flight attempts get SHUTDOWN_TIMEOUT_MS); the sinks; the store. Rejects with a CloseError
   * naming the parts that did not stop cleanly (the others were stopped all the same).
   */
  stop(): Promise<void>;
}

/**
 * The composition root: checks the whole config and provisions DATA_DIR (checkAndProvision), then
 * builds the relay part after part, each from its slice of the config, each part's stop pushed onto
 * `parts` as soon as the part exists. Whoever calls it unwinds `parts` on a failure and
 * on stop; nothing here closes anything by hand.
 */
export async function buildRelay(
  parts: CloserStack,
  config: RelayConfig,
  logger: Logger,
  options: StartRelayOptions = {},
): Promise<ComposedRelay & { endStreams(): void }> {
  const built = async (part: string, close: () => unknown) => {
    parts.defer(part, close);
    await options.afterPart?.(part);
  };
  const kinds = createSinkRegistry(options.sinkKinds);
  const {
    provisioned,
    definitions,
    streams: streamDefinitions,
    alerts: alertSettings,
  } = checkAndProvision(config, kinds);
  const { file } = config;
  const secrets = provisioned.eventSub.secrets;
  const store =
    options.store ??
    (await openStore(config.store.url, {
      onBackgroundError: (error) =>
        logger.warn({ err: error }, 'store connection dropped while idle; the next write reconnects'),
    }));
  // The caller owns a store it passed in; the relay closes only the one it opened.
  await built('store', () => (options.store ? undefined : store.close()));
  await store.warmUp((message) => logger.error(message));
  if (provisioned.dashboardToken.file?.generated)
    logger.info(
      { tokenFile: provisioned.dashboardToken.file.path },
      'generated the dashboard token (mode 0600); `eventsub-relay dashboard` prints the login URL',
    );
  const metrics = createMetrics();
  await built('metrics', () => metrics.registry.clear());
  const { route, worker } = await buildDelivery(
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
    built,
  );
  // Stopped before the sinks close: in-flight attempts get the shutdown timeout to finish.
  await built('delivery worker', () => worker.stop(config.server.shutdownTimeoutMs));
  const streams = await startLiveStreams(
    { settings: config.streams, streams: streamDefinitions, dataDir: config.dataDir },
    store,
    logger,
  );
  await built('live streams', () => streams.stop());
  // The alert box: a queue per overlay stream, following the live streams' reader of new events.
  const alerts = await startOverlayAlerts({
    settings: alertSettings,
    streams: streamDefinitions,
    hub: streams.hub,
    store,
    findEvent: async (eventId) => {
      const detail = await store.getEvent(eventId);
      return detail && { envelope: detail.envelope };
    },
    dataDir: config.dataDir,
    logger,
  });
  await built('alert queues', () => alerts.stop());
  // TRANSPORT=websocket: checked before serving, so a missing token or scope stops the start.
  const websocket =
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
              store,
            },
            logger,
          )
        : undefined;

  // Store-backed gauges (pending, dead, oldest pending age per sink), read at each scrape.
  registerBacklogGauges(metrics, () => store.deliveryBacklog(definitions.map((d) => d.name)));
  // The last hour per minute (events, acknowledgement latency, backlog) for the dashboard's Health page.
  const ring = new MinuteRing();
  const backlog = () => store.deliveryBacklog(definitions.map((d) => d.name));
  const intake = createIntake({
    store: timedWrites(store, metrics, (ms, stored) => ring.recordAck(ms, stored)),
    route,
    worker,
    logger,
  });
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
  const door = closingDoor(intake);
  const ops: OpsRouteDeps = {
    operations: options.operations,
    trigger: {
      secret: () => secrets[0]!,
      ...(config.twitch.clientId && { clientId: config.twitch.clientId }),
    },
    health: { ring, backlog },
    streams: { streams: streamDefinitions, clientCount: (name) => streams.service.clientCount(name) },
  };
  const routes = createRelayRoutes({
    receive: createReceiver({
      secrets: () => secrets,
      intake: door,
      invalidSignatureMessage: invalidSignatureMessage(provisioned.eventSub.file),
    }),
    maxBodyBytes: config.server.maxBodyBytes,
    trustProxy: config.server.trustProxy,
    logger,
    metrics,
    checkReady: () => store.checkWritable(),
    stream: streams.service,
    overlayDir: OVERLAY_DIR,
    adminApi: createAdminApi({
      token: provisioned.dashboardToken.value,
      config,
      logger,
      metrics,
      store,
      worker,
      sinks: definitions.map(({ name, kind }) => ({ name, kind })),
      streams,
      ops,
      alerts,
    }),
    dashboardDir: DASHBOARD_DIR,
    overlay: alerts.page,
    alertMediaDir: alertSettings.mediaDir,
  });
  // Whoever serves the handlers, the relay stops taking requests before the parts below close:
  // open streams end, new events get a 503 (Twitch retries), events in flight finish storing.
  await built('HTTP handlers', async () => {
    streams.service.close();
    alerts.page.close();
    await door.close();
  });

  return {
    ...routes,
    store,
    intake,
    sinks: definitions.map(({ name, kind }) => ({ name, kind })),
    provisioned,
    alerts,
    ...(websocket && 'conduitId' in websocket && { conduitShard: websocket.shard }),
    endStreams: () => {
      streams.service.close();
      alerts.page.close();
    },
    async start() {
      worker.start();
      // WebSocket events go through the same door as webhooks: one intake, deduplicated by message id.
      if (websocket) {
        const transport = websocket.start({
          intake,
          logger,
          metrics,
          onFatal: options.onTransportFailure ?? (() => undefined),
        });
        await built('websocket session', () => transport.stop());
      }
      const sampler = setInterval(() => {
        backlog().then(
          (sinks) => ring.recordBacklog(sinks.reduce((sum, s) => sum + s.pending, 0)),
          () => undefined, // a store that cannot answer now leaves this minute's figure empty
        );
      }, BACKLOG_SAMPLE_MS).unref();
      await built('backlog sampler', () => clearInterval(sampler));
      // Retention: delete delivered / dead events older than RETENTION_DAYS, in small batches.
      const retention = startRetention(store, { retentionDays: config.store.retentionDays, logger });
      await built('retention', () => retention.stop());
    },
    stop: () => parts.unwind(),
  };
}
