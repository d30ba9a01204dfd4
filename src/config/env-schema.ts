import { z } from 'zod';
import { httpUrlProblem } from './http-url.js';
import { MAX_CONDUIT_SHARDS } from './conduit-entry.js';
import { listenHostProblem, publicOriginProblem, webSocketUrlProblem } from './network-values.js';

/** Twitch's EventSub WebSocket server (docs: handling-websocket-events). */
export const DEFAULT_EVENTSUB_WS_URL = 'wss://eventsub.wss.twitch.tv/ws';

const MIB = 1024 * 1024;

/** Secrets published in Twitch's or twurple's docs: anyone could sign requests with them. */
export const PUBLISHED_SAMPLE_SECRETS = new Set([
  's3cre77890ab',
  's3cRe7',
  'thisShouldBeARandomlyGeneratedFixedString',
  'secretabcd',
]);

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

/** Twitch: "an ASCII string that's a minimum of 10 characters long and a maximum of 100 characters long". */
export const eventSubSecretSchema = z
  .string()
  .min(
    10,
    'must be at least 10 characters (Twitch accepts 10–100 ASCII characters); generate one with `openssl rand -hex 32`',
  )
  .max(100, 'must be at most 100 characters (Twitch accepts 10–100 ASCII characters)')
  .regex(
    /^[\x20-\x7e]+$/,
    'must be printable ASCII: letters, digits, punctuation or spaces, no other characters (Twitch accepts 10–100 ASCII characters)',
  )
  .refine((secret) => !PUBLISHED_SAMPLE_SECRETS.has(secret), {
    message: 'is a sample secret published in documentation; generate your own with `openssl rand -hex 32`',
  });

const booleanFlag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes'),
);

/** Turns a `(value) => problem | undefined` check into a zod refinement with that message. */
const checkedBy = (problem: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const found = problem(value);
    if (found) ctx.addIssue({ code: 'custom', message: found });
  });

/** PUBLIC_URL: stored as the bare origin (no trailing slash); the callback is origin + /callback. */
const publicOrigin = checkedBy(publicOriginProblem).transform((value) => new URL(value).origin);

/**
 * Every environment variable the relay reads, with its default. `.env.example` documents the same
 * list; `npm test` checks the two agree.
 */
export const envSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
  HOST: z.preprocess(emptyAsUndefined, checkedBy(listenHostProblem).default('127.0.0.1')),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default('./data')),
  EVENTSUB_SECRET: z.preprocess(emptyAsUndefined, eventSubSecretSchema.optional()),
  EVENTSUB_PREVIOUS_SECRETS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((list) =>
        (list ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(eventSubSecretSchema)),
  ),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, publicOrigin.optional()),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['json', 'pretty'], {
        message: 'must be json or pretty (unset: pretty on a terminal, else json)',
      })
      .optional(),
  ),
  STORE_URL: optionalString,
  MAX_BODY_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * MIB)
      .default(MIB),
  ),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.string().default('loopback')),
  SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(10000)),
  CONFIG_FILE: optionalString,
  FORWARD_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((list) =>
        (list ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          checkedBy((url) =>
            httpUrlProblem(url, 'e.g. http://127.0.0.1:9000/hook (several: comma-separated)'),
          ),
        ),
      ),
  ),
  FORWARD_SECRET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, 'must look like whsec_<base64 of 24+ random bytes>')
      .optional(),
  ),
  TWITCH_CLIENT_ID: optionalString,
  TWITCH_CLIENT_SECRET: optionalString,
  TWITCH_REDIRECT_URI: z.preprocess(
    emptyAsUndefined,
    checkedBy((url) => httpUrlProblem(url, 'e.g. http://localhost:3000')).default('http://localhost:3000'),
  ),
  AUTO_RESUBSCRIBE: booleanFlag,
  DELIVERY_LEASE_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(
        10_000,
        'must be at least 10000 (ms): a lease must outlast the longest delivery attempt plus 5 s to record it',
      )
      .max(3_600_000, 'must be at most 3600000 (1 hour)')
      .default(60_000),
  ),
  RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).default(7)),
  STREAM_HEARTBEAT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).default(15000)),
  STREAM_MAX_BUFFER_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(16 * 1024)
      .default(MIB),
  ),
  STREAM_POLL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).default(100)),
  TRANSPORT: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['webhook', 'websocket', 'conduit'], {
        message:
          'must be webhook (Twitch posts to PUBLIC_URL/callback), websocket (the relay connects out to Twitch; no public address needed) ' +
          'or conduit (a shard of an EventSub conduit over WebSocket: subscriptions outlive reconnects; docs/conduits.md)',
      })
      .default('webhook'),
  ),
  EVENTSUB_WS_URL: z.preprocess(
    emptyAsUndefined,
    checkedBy(webSocketUrlProblem).default(DEFAULT_EVENTSUB_WS_URL),
  ),
  EVENTSUB_WS_BACKOFF_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(60_000).default(1000),
  ),
  DASHBOARD_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(
        24,
        'must be at least 24 characters (it opens the admin API); unset, the relay generates one into DATA_DIR/dashboard-token',
      )
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it travels in a header and a URL)')
      .optional(),
  ),
  CONDUIT_SHARD_TRANSPORT: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['websocket', 'webhook'], {
        message:
          'must be websocket (the relay connects out; no public address) or webhook (Twitch posts to PUBLIC_URL/callback)',
      })
      .default('websocket'),
  ),
  // Unset: `auto` on a store shared by replicas (PostgreSQL), shard 0 otherwise (decided where the
  // store is known, the composition root).
  CONDUIT_SHARD: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((value, ctx): number | 'auto' | undefined => {
        if (value === undefined || value === 'auto') return value;
        if (/^\d+$/.test(value.trim()) && Number(value) < MAX_CONDUIT_SHARDS) return Number(value);
        ctx.addIssue({
          code: 'custom',
          message:
            'must be a shard id: a whole number from 0 to the conduit shard count - 1 ' +
            `(at most ${MAX_CONDUIT_SHARDS - 1}: Twitch allows ${MAX_CONDUIT_SHARDS} shards), or auto (claimed through a store shared by replicas)`,
        });
        return z.NEVER;
      }),
  ),
  CONDUIT_CLAIM_LEASE_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(500).max(300_000).default(15_000),
  ),
});

export type ParsedEnv = z.infer<typeof envSchema>;
