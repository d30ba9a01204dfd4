import type { AddressInfo } from 'node:net';
import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { createReceiver } from '../receiver/receiver.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { closeGracefully } from './graceful-close.js';
import { createRelayServer } from './relay-server.js';
import { createRevocationHandler } from '../subscriptions/revocation-handler.js';
import type { Receive } from '../receiver/receiver.js';

/** A running relay: its address, its store, and how to stop it. */
export interface RunningRelay {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
}

/** Opens the store, starts listening, and returns once the service accepts requests. */
export async function startRelay(config: RelayConfig, logger: Logger): Promise<RunningRelay> {
  const store = await openStore(config.storeUrl);
  const metrics = createMetrics();
  const receiveAndStore = createReceiver({ secrets: () => config.secrets, store });
  // Issue 4 hook: stored revocations are logged with the command that restores them (and recreated with AUTO_RESUBSCRIBE).
  const onRevocation = createRevocationHandler(config, logger);
  const receive: Receive = async (headers, body) => {
    const decision = await receiveAndStore(headers, body);
    if (decision.kind === 'stored') onRevocation(decision.envelope);
    return decision;
  };
  const server = createRelayServer({
    receive,
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    logger,
    metrics,
    checkReady: () => store.checkWritable(),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    stop() {
      stopping ??= (async () => {
        await closeGracefully(server, config.shutdownTimeoutMs);
        await store.close();
      })();
      return stopping;
    },
  };
}
