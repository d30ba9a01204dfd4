import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { SINK_KINDS } from '../sinks/registry.js';
import type { Store } from '../store/store.js';
import { DeliveryWorker } from './delivery-worker.js';
import { resolveSinks } from './resolve-sinks.js';
import { createRouter } from './router.js';
import { redactSinkOptions } from './sink-config.js';

/** The configured sinks, built and wired: a router for the receiver and a worker that delivers. */
export async function buildDelivery(
  config: RelayConfig,
  env: NodeJS.ProcessEnv,
  store: Store,
  logger: Logger,
  metrics: Metrics,
) {
  const { definitions, generatedForwardSecret } = resolveSinks(config, env);
  if (generatedForwardSecret) {
    logger.warn(
      { path: generatedForwardSecret.path },
      `generated a Standard Webhooks secret for FORWARD_URL in ${generatedForwardSecret.path} (mode 0600); ` +
        'give it to your consumer so it can verify webhook-signature',
    );
  }
  const sinks = [];
  for (const definition of definitions) {
    const kind = SINK_KINDS.get(definition.kind)!;
    const sink = await kind.create(definition.options as never, {
      name: definition.name,
      logger: logger.child({ sink: definition.name }),
      dataDir: config.dataDir,
    });
    sinks.push({ sink, retry: definition.retry, concurrency: definition.concurrency });
    logger.info(
      {
        sink: definition.name,
        kind: definition.kind,
        options: redactSinkOptions(definition),
        filter: definition.filter,
      },
      `sink ${definition.name} (${definition.kind}) ready`,
    );
  }
  const route = createRouter(definitions);
  const worker = new DeliveryWorker({ store, sinks, logger, metrics });
  return { route, worker, definitions };
}
