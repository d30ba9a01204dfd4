import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import { CloserStack } from './closer-stack.js';
import { buildRelay, type ComposedRelay, type StartRelayOptions } from './build-relay.js';

export type { ComposedRelay, StartRelayOptions } from './build-relay.js';

/**
 * Builds the relay without serving it, for an app that mounts `handlers` (or `requestListener`) in
 * an HTTP server of its own. Call `start()` once they are mounted and `stop()` after your server
 * closed. A failure while building stops what was built and is thrown.
 */
export async function composeRelay(
  config: RelayConfig,
  logger: Logger,
  options: StartRelayOptions = {},
): Promise<ComposedRelay> {
  const parts = new CloserStack();
  const relay = await withUnwindOnFailure(parts, logger, () => buildRelay(parts, config, logger, options));
  let started = false;
  return {
    handlers: relay.handlers,
    requestListener: relay.requestListener,
    store: relay.store,
    intake: relay.intake,
    sinks: relay.sinks,
    provisioned: relay.provisioned,
    alerts: relay.alerts,
    async start() {
      // Refused before anything starts: a start on parts that are stopping (what it started would
      // outlive them), or a second one.
      if (parts.stopping) throw new Error('the relay was stopped; compose a new one to start again');
      if (started) throw new Error('the relay is already started');
      started = true;
      await withUnwindOnFailure(parts, logger, () => relay.start());
    },
    stop: relay.stop,
  };
}

/**
 * Runs `step`; if it fails, stops every part built so far (newest first) and throws the step's
 * error. A part that also fails to stop is logged: the error that stopped the start comes first.
 */
export async function withUnwindOnFailure<T>(
  parts: CloserStack,
  logger: Logger,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await parts.unwind().catch((closeError: unknown) => {
      logger.error({ err: closeError }, 'after a failed start, some parts did not stop cleanly');
    });
    throw error;
  }
}
