import { pino, type Logger } from 'pino';
import { redactSecrets } from './redact-secrets.js';
import { redactUrlsIn } from './redact-url.js';

export type { Logger };

/**
 * The one logger factory: JSON lines on stdout (or `destination`), secrets redacted. pino's own
 * `redact` matches fixed, case-sensitive paths, which misses `Authorization` vs `authorization`,
 * `X-Api-Key` and secrets nested deeper than the paths say; so every logged object, child's
 * bindings and serialized error goes through `redactSecrets` (any key naming a secret, at any depth, in
 * any case), and URL credentials are masked in messages too.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'eventsub-relay' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log: (object) => redactSecrets(object) as Record<string, unknown>,
    },
    serializers: {
      // The serialized error is not a plain object (pino gives it a prototype): spread it into one.
      err: (error: Error) => redactSecrets({ ...pino.stdSerializers.err(error) }),
    },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) => (typeof arg === 'string' ? redactUrlsIn(arg) : arg));
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  return redactChildBindings(destination ? pino(options, destination) : pino(options));
}

type ChildFn = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;

/**
 * pino serializes a child's bindings once, without the log formatter: redact them on the way in,
 * for children of children too. `pinoChild` is pino's own `child`, captured at the root, since a
 * child inherits (through its prototype) the wrapper set on its parent.
 */
function redactChildBindings(
  logger: Logger,
  pinoChild = Object.getPrototypeOf(logger).child as ChildFn,
): Logger {
  const child: ChildFn = (bindings, childOptions) =>
    redactChildBindings(
      pinoChild.call(logger, redactSecrets(bindings) as pino.Bindings, childOptions),
      pinoChild,
    );
  logger.child = child as unknown as Logger['child'];
  return logger;
}
