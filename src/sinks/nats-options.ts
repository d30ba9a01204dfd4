import { z } from 'zod';

const serverUrl = z
  .string()
  .regex(/^(nats|tls|wss?):\/\//, 'must be a nats:// URL, e.g. nats://127.0.0.1:4222');

/** The `kind: nats` options (own file: the sink and its stream guard both read them). */
export const natsOptionsSchema = z.object({
  servers: z.union([serverUrl, z.array(serverUrl).min(1)]).default('nats://127.0.0.1:4222'),
  user: z.string().min(1).optional(),
  pass: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
  /** Events are published to `<subjectPrefix>.<type>`, e.g. eventsub.channel.follow. */
  subjectPrefix: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
      'must be dot-separated tokens, e.g. eventsub or twitch.events',
    )
    .default('eventsub'),
  /** The JetStream stream that captures `<subjectPrefix>.>`; created only with createStream: true. */
  stream: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _')
    .default('EVENTSUB'),
  createStream: z.boolean().default(false),
  /** JetStream's duplicate window for a stream we create (re-sends with the same id inside it are dropped). */
  duplicateWindowMs: z.number().int().positive().default(120_000),
  timeoutMs: z.number().int().positive().default(5_000),
});
export type NatsSinkOptions = z.infer<typeof natsOptionsSchema>;
