import type { AddressInfo } from 'node:net';
import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import type { RelayIntake } from '../delivery/intake.js';
import type { Store } from '../store/store.js';
import type { ProvisionedDataDir } from '../config/provision.js';
import type { OverlayAlerts } from '../alerts/overlay-alerts.js';
import { gracefulCloser } from '../server/graceful-close.js';
import { serveRoutes } from '../server/relay-server.js';
import { listen } from '../server/listen.js';
import { CloserStack } from './closer-stack.js';
import { buildRelay, type StartRelayOptions } from './build-relay.js';
import { withUnwindOnFailure } from './compose-relay.js';

export type { StartRelayOptions } from './build-relay.js';

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
  /** The alert queues, one per overlay stream (skip, pause, resume, replay, test, snapshot). */
  alerts: OverlayAlerts;
  /** TRANSPORT=conduit: the shard this relay serves, or `claimed` (replicas claim one through the store). */
  conduitShard?: number | 'claimed';
  /** Stops every part, newest first; rejects with a CloseError naming the parts that failed to stop. */
  stop(): Promise<void>;
}

/**
 * The relay as a service: the composed parts (composeRelay: the whole config checked, DATA_DIR
 * provisioned, then store, sinks, worker, streams, handlers) served by an HTTP server of its own on
 * HOST:PORT. Resolves once the service accepts requests; pending deliveries from an earlier run
 * resume at once. A failure at any step stops whatever was built before it and is thrown.
 */
export async function startRelay(
  config: RelayConfig,
  logger: Logger,
  options: StartRelayOptions = {},
): Promise<RunningRelay> {
  const parts = new CloserStack();
  return withUnwindOnFailure(parts, logger, async () => {
    const relay = await buildRelay(parts, config, logger, options);
    const server = serveRoutes(relay.requestListener, { logger });
    const closeGracefully = gracefulCloser(server);
    await listen(server, config.server.host, config.server.port);
    parts.defer('HTTP server', () => closeGracefully(config.server.shutdownTimeoutMs));
    // Open streams end first: an open stream would hold the server's close until the force timeout.
    parts.defer('stream connections', () => relay.endStreams());
    await options.afterPart?.('HTTP server');
    await relay.start();
    const { port } = server.address() as AddressInfo;
    const { host } = config.server;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      store: relay.store,
      intake: relay.intake,
      sinks: relay.sinks,
      provisioned: relay.provisioned,
      alerts: relay.alerts,
      ...(relay.conduitShard !== undefined && { conduitShard: relay.conduitShard }),
      stop: relay.stop,
    };
  });
}
