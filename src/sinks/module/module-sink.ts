import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../../config/errors.js';
import { timeoutMsOption, DeliveryError, defineSinkKind } from '../sink.js';

const optionsSchema = z.strictObject({
  /** Path to an ES module (relative to the working directory) whose default export registers handlers. */
  path: z.string().min(1),
  /**
   * How long the handlers may take for one event. Past it the attempt is abandoned and retried on
   * schedule (a handler that never settles cannot hold the delivery, or its lease, forever).
   */
  timeoutMs: timeoutMsOption(10_000),
});

/**
 * Runs a user's JS module in-process. The module's default export is called once with a
 * RelayHandlers object; a handler that throws fails the delivery, which is retried on schedule.
 */
export const moduleSinkKind = defineSinkKind({
  kind: 'module',
  description: 'call handlers registered by your own JS module (relay.on, relay.onAny, relay.onError)',
  optionsSchema,
  secretFields: [],
  async create(options, context) {
    const path = isAbsolute(options.path) ? options.path : resolve(options.path);
    let register: unknown;
    try {
      register = (await import(pathToFileURL(path).href)).default;
    } catch (error) {
      throw new ConfigError(`sinks.${context.name}.path`, `cannot load ${path}: ${(error as Error).message}`);
    }
    if (typeof register !== 'function') {
      throw new ConfigError(
        `sinks.${context.name}.path`,
        `${path} must export a default function, e.g. export default (relay) => relay.on('channel.follow', fn)`,
      );
    }
    // Loaded here, not at the top: the typed events bring @twurple/eventsub-base, for module sinks only.
    const { RelayHandlers } = await import('./relay-api.js');
    const handlers = new RelayHandlers();
    await register(handlers);
    return {
      name: context.name,
      async deliver(envelope) {
        try {
          await handlers.dispatch(envelope);
        } catch (error) {
          throw new DeliveryError(`handler failed: ${(error as Error)?.message ?? String(error)}`);
        }
      },
    };
  },
});
