import type { AddressInfo } from 'node:net';
import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { registerBacklogGauges } from '../observability/backlog-gauges.js';
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
import { invalidSignatureMessage } from '../config/secret-source.js';

/** A running relay: its address, its store, and how to stop it. */
export interface RunningRelay {
  url: string;
  port: number;
  store: Store;
  /** The sinks it delivers to (name and kind), for the start-up line. */
  sinks: readonly { name: string; kind: string }[];
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
  const { route, worker, definitions } = delivery;
  // Store-backed gauges (pending, dead, oldest pending age per sink), read at each scrape.
  registerBacklogGauges(metrics, () => store.deliveryBacklog(definitions.map((d) => d.name)));
  // Deliveries of a new event are claimed in its own insert and attempted once it is durable.
  const intake = claimOnInsert(store, worker);
  const receive = createReceiver({
    secrets: () => config.secrets,
    store: {
      // How long each event waits for its group commit to be durable (the 204 waits as long).
      async insertIfNew(envelope, sinks) {
        const durable = metrics.storeCommit.startTimer();
        const outcome = await intake.insertIfNew(envelope, sinks);
        durable();
        return outcome;
      },
    },
    route,
    invalidSignatureMessage: invalidSignatureMessage(config.secretFile),
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
      metrics.eventsStored.inc({ type: envelope.type, message_type: envelope.messageType });
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
  // Retention (issue 7): delete delivered / dead events older than RETENTION_DAYS, in small batches.
  const retention = startRetention(store, { retentionDays: config.retentionDays, logger });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    sinks: definitions.map(({ name, kind }) => ({ name, kind })),
    stop() {
      stopping ??= (async () => {
        await closeGracefully(config.shutdownTimeoutMs);
        await worker.stop(config.shutdownTimeoutMs);
        await retention.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
