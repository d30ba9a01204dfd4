import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import { loadOrCreateSecret } from '../config/secret-file.js';
import { issueError } from '../config/zod-issues.js';
import { compileFilter, sinkFilterSchema, type SinkFilter } from '../twitch/event-filter.js';
import type { Envelope } from '../twitch/envelope.js';

/** Connections one stream token may hold at once unless its entry says otherwise. */
const DEFAULT_MAX_CLIENTS = 10;

/** One validated `streams[i]` entry. */
export interface StreamDefinition {
  name: string;
  /** The bearer token (never logged). */
  token: string;
  /** Where the token was read from or generated into, when the entry gave none. */
  tokenFile?: { path: string; generated: boolean };
  filter: SinkFilter;
  admits: (envelope: Envelope) => boolean;
  /** Origins (`https://overlay.example`, `null` for a local file, `*`) that get CORS headers. */
  allowOrigin: string[];
  maxClients: number;
}

const streamSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, 'must be letters, digits, - or _ (e.g. "overlay")'),
  token: z
    .string()
    .min(16, 'must be at least 16 characters; leave it out to have one generated into DATA_DIR')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent in a header and a URL)')
    .optional(),
  filter: sinkFilterSchema,
  allowOrigin: z.array(z.string().min(1)).default([]),
  maxClients: z.number().int().min(1).max(10_000).default(DEFAULT_MAX_CLIENTS),
});

/** 43 URL-safe characters (256 bits): fits `?token=` without escaping. */
const generateStreamToken = (): string => randomBytes(32).toString('base64url');

/** The file in DATA_DIR that keeps a generated token for stream `name`. */
const streamTokenFileName = (name: string): string => `stream-token-${name}`;

/**
 * Validates the config file's `streams:` list. An entry without `token` gets one generated into
 * DATA_DIR (mode 0600) on first start and read back on later ones, so overlay URLs keep working.
 */
export function parseStreamEntries(entries: readonly unknown[], dataDir: string): StreamDefinition[] {
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const path = `streams[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ConfigError(path, 'must be a mapping with at least `name` (e.g. `- name: overlay`)');
    const parsed = streamSchema.safeParse(entry);
    if (!parsed.success) throw issueError(path, parsed.error.issues[0], [streamSchema]);
    const { name, token, filter, allowOrigin, maxClients } = parsed.data;
    if (seen.has(name))
      throw new ConfigError(`${path}.name`, `"${name}" is used twice; stream names must be unique`);
    seen.add(name);
    const stored =
      token === undefined
        ? loadOrCreateSecret(dataDir, streamTokenFileName(name), generateStreamToken)
        : undefined;
    return {
      name,
      token: token ?? stored!.value,
      ...(stored && { tokenFile: { path: stored.path, generated: stored.generated } }),
      filter,
      admits: compileFilter(filter),
      allowOrigin,
      maxClients,
    };
  });
}
