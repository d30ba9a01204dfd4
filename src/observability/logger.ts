import { pino, type Logger } from 'pino';
import { createRequire } from 'node:module';
import type { PinoPretty as PinoPrettyFactory } from 'pino-pretty';
import { redactSecrets } from './redact-secrets.js';
import { redactUrlsIn } from './redact-url.js';

export type { Logger };

/** `json`: one JSON object per line (for journald, files, log shippers); `pretty`: one readable line. */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set, else pretty on a terminal and JSON everywhere else (systemd, pipes, files). */
export function resolveLogFormat(configured: LogFormat | undefined, isTTY = process.stdout.isTTY): LogFormat {
  return configured ?? (isTTY ? 'pretty' : 'json');
}

/**
 * pino-pretty in this process (not a worker), synchronous so a line is out before an exit: one line
 * per entry, time and level first; the start-up config dump is left out (the start-up line says it).
 */
function prettyStream(): pino.DestinationStream {
  // Loaded here, not at the top (and synchronously: createLogger is): JSON logs never need it.
  const { PinoPretty } = createRequire(import.meta.url)('pino-pretty') as {
    PinoPretty: typeof PinoPrettyFactory;
  };
  return PinoPretty({
    colorize: Boolean(process.stdout.isTTY),
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,config',
    sync: true,
  });
}

/**
 * The one logger factory: JSON lines (or pretty ones, see LogFormat) on stdout, or into
 * `destination`, secrets redacted. pino's own
 * `redact` matches fixed, case-sensitive paths, which misses `Authorization` vs `authorization`,
 * `X-Api-Key` and secrets nested deeper than the paths say; so every logged object, child's
 * bindings and serialized error goes through `redactSecrets` (any key naming a secret, at any depth, in
 * any case), and URL credentials are masked in messages too.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
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
  const stream = destination ?? (format === 'pretty' ? prettyStream() : undefined);
  return redactChildBindings(stream ? pino(options, stream) : pino(options));
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
