import type { AddressInfo } from 'node:net';
import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { createReceiver } from '../receiver/receiver.js';
import { openStore } from '../store/open-store.js';
import { startRetention } from '../store/retention.js';
import type { Store } from '../store/store.js';
import { buildDelivery } from '../delivery/build-delivery.js';
import { claimOnInsert } from '../delivery/claim-on-insert.js';
import { gracefulCloser } from './graceful-close.js';
import { createRelayServer } from './relay-server.js';
import { listen } from './listen.js';
import { createRevocationHandler } from '../subscriptions/revocation-handler.js';
import { interimIntake } from '../delivery/interim-intake.js';
import { prepareWebSocketTransport } from '../transports/websocket/open.js';
import type { SessionSetupError } from '../transports/websocket/errors.js';

/** A running relay: its address, its store, and how to stop it. */
export interface RunningRelay {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
}

/**
 * Opens the store, builds the sinks and the delivery worker, starts listening, and returns once the
 * service accepts requests. Pending deliveries from an earlier run resume at once.
 */
export async function startRelay(
  config: RelayConfig,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
  /** TRANSPORT=websocket: called when the session cannot go on without a person (e.g. a dead token). */
  onTransportFailure: (error: SessionSetupError) => void = () => undefined,
): Promise<RunningRelay> {
  const store = await openStore(config.storeUrl, {
    onBackgroundError: (error) =>
      logger.warn({ err: error }, 'store connection dropped while idle; the next write reconnects'),
  });
  const metrics = createMetrics();
  let delivery;
  try {
    delivery = await buildDelivery(config, env, store, logger, metrics);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { route, worker } = delivery;
  // TRANSPORT=websocket: checked before listening, so a missing token or scope stops the start.
  let websocket;
  try {
    websocket = config.transport === 'websocket' ? await prepareWebSocketTransport(config) : undefined;
  } catch (error) {
    await worker.stop(0);
    await store.close();
    throw error;
  }
  // Deliveries of a new event are claimed in its own insert and attempted once it is durable.
  const receive = createReceiver({
    secrets: () => config.secrets,
    store: claimOnInsert(store, worker),
    route,
  });
  // Stored revocations: log the command that restores them (and recreate them with AUTO_RESUBSCRIBE).
  const onRevocation = createRevocationHandler(config, logger);
  const server = createRelayServer({
    receive,
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    logger,
    metrics,
    checkReady: () => store.checkWritable(),
    onStored: ({ envelope }) => {
      onRevocation(envelope);
    },
  });

  const closeGracefully = gracefulCloser(server);
  try {
    await listen(server, config.host, config.port);
  } catch (error) {
    // Nothing was accepted yet: release the store and the sinks before reporting the problem.
    await worker.stop(0);
    await store.close();
    throw error;
  }
  worker.start();
  // The one door for WebSocket events (swap for the real intake once src/delivery/intake.ts lands).
  const transport = websocket?.start({
    intake: interimIntake(store, worker, route),
    logger,
    metrics,
    onFatal: onTransportFailure,
  });
  // Retention (issue 7): delete delivered / dead events older than RETENTION_DAYS, in small batches.
  const retention = startRetention(store, { retentionDays: config.retentionDays, logger });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    stop() {
      stopping ??= (async () => {
        await transport?.stop();
        await closeGracefully(config.shutdownTimeoutMs);
        await worker.stop(config.shutdownTimeoutMs);
        await retention.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
