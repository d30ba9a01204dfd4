import type { PersistedSecret } from '../../config/secret-file.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { SinkRegistry } from '../../sinks/registry.js';
import type { DeliveryQueue } from '../../store/store.js';
import { ConfigError } from '../../config/errors.js';
import { defaultAttemptDeadlineMs, leaseProblem } from '../attempt-deadline.js';
import { DeliveryWorker } from '../delivery-worker.js';
import type { SinkDefinition } from './sink-config.js';
import { createRouter } from '../router.js';
import { redactSinkOptions } from './redact-options.js';

/**
 * The configured sinks (see resolveSinks), built and wired: a router for the receiver and a worker
 * that delivers. Each sink's options are logged once, with credentials masked (see redactSinkOptions).
 */
export async function buildDelivery(
  {
    definitions,
    dataDir,
    leaseMs,
    forwardSecretFile,
  }: {
    definitions: SinkDefinition[];
    /** DELIVERY_LEASE_MS: how long a claimed delivery is leased to the worker attempting it. */
    leaseMs: number;
    /** Where sinks keep their files (a relative `path` of a file sink is inside it). */
    dataDir: string;
    /** FORWARD_URL's secret when it is kept in DATA_DIR; logged once when this start generated it. */
    forwardSecretFile?: PersistedSecret;
  },
  kinds: SinkRegistry,
  store: DeliveryQueue,
  logger: Logger,
  metrics: Metrics,
) {
  const generatedForwardSecret = forwardSecretFile?.generated ? forwardSecretFile : undefined;
  // Before any sink is built (a broker sink connects at once): nothing to close on this error.
  for (const { name, attemptTimeoutMs } of definitions) {
    const problem = leaseProblem(name, attemptTimeoutMs ?? defaultAttemptDeadlineMs(leaseMs), leaseMs);
    if (problem) throw new ConfigError('DELIVERY_LEASE_MS', problem);
  }
  if (generatedForwardSecret) {
    logger.info(
      { path: generatedForwardSecret.path },
      `generated a Standard Webhooks secret for FORWARD_URL in ${generatedForwardSecret.path} (mode 0600); ` +
        'give it to your consumer so it can verify webhook-signature',
    );
  }
  const sinks = [];
  for (const definition of definitions) {
    const kind = kinds.get(definition.kind)!;
    const sink = await kind.create(definition.options as never, {
      name: definition.name,
      logger: logger.child({ sink: definition.name }),
      dataDir,
    });
    sinks.push({
      sink,
      retry: definition.retry,
      concurrency: definition.concurrency,
      attemptTimeoutMs: definition.attemptTimeoutMs,
    });
    logger.info(
      {
        sink: definition.name,
        kind: definition.kind,
        options: redactSinkOptions(definition, kinds),
        filter: definition.filter,
      },
      `sink ${definition.name} (${definition.kind}) ready`,
    );
  }
  const route = createRouter(definitions);
  const worker = new DeliveryWorker({ store, sinks, logger, metrics, leaseMs });
  // Before the worker starts. On a store this process serves alone, claims left by a killed
  // predecessor are void and its pending deliveries resume now; a shared store keeps them (0).
  const released = await store.releaseAllClaims();
  if (released > 0) {
    logger.warn(
      { deliveries: released },
      `resuming ${released === 1 ? '1 delivery' : `${released} deliveries`} an earlier run had in flight when it stopped (each may arrive twice)`,
    );
  }
  return { route, worker, definitions };
}
