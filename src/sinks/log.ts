import { z } from 'zod';
import { defineSinkKind } from './sink.js';

const optionsSchema = z.strictObject({
  level: z.enum(['info', 'warn', 'debug']).default('info'),
  /** Include the whole event object (off by default: chat messages can be large and personal). */
  includeEvent: z.boolean().default(false),
});

/** One structured pino line per event: the default when no sink is configured. */
export const logSinkKind = defineSinkKind({
  kind: 'log',
  description: 'write one structured log line per event',
  optionsSchema,
  secretFields: [],
  // A log line is written synchronously, so a slot costs nothing: a wide lane keeps up with any load.
  defaultConcurrency: 256,
  create: (options, context) => ({
    name: context.name,
    async deliver(envelope) {
      const broadcaster = envelope.subscription.condition?.broadcaster_user_id;
      context.logger[options.level](
        {
          messageId: envelope.id,
          type: envelope.type,
          version: envelope.version,
          messageType: envelope.messageType,
          broadcaster,
          ...(options.includeEvent && { event: envelope.event }),
        },
        `${envelope.messageType} ${envelope.type}`,
      );
    },
  }),
});
