import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import type { PersistedSecret } from '../config/secret-file.js';
import { issueError } from '../config/zod-issues.js';
import { compileFilter, sinkFilterSchema, type SinkFilter } from '../twitch/event-filter.js';
import type { Envelope } from '../twitch/envelope.js';

/** Connections one stream token may hold at once unless its entry says otherwise. */
const DEFAULT_MAX_CLIENTS = 10;

/** One validated `streams[i]` entry, as written: without a `token`, one is provisioned into DATA_DIR. */
export interface StreamEntry {
  name: string;
  /** The entry's bearer token (never logged); undefined when it gives none. */
  token?: string;
  filter: SinkFilter;
  admits: (envelope: Envelope) => boolean;
  /** Origins (`https://overlay.example`, `null` for a local file, `*`) that get CORS headers. */
  allowOrigin: string[];
  maxClients: number;
}

/** A stream ready to serve: its entry with the bearer token it checks. */
export interface StreamDefinition extends StreamEntry {
  /** The bearer token (never logged). */
  token: string;
  /** Where the token was read from or generated into, when the entry gave none. */
  tokenFile?: { path: string; generated: boolean };
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

/**
 * Validates the config file's `streams:` list; creates nothing. An entry without `token` gets one
 * from provisioning (generated into DATA_DIR once, read back later, so overlay URLs keep working).
 */
export function parseStreamEntries(entries: readonly unknown[]): StreamEntry[] {
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
    return {
      name,
      ...(token !== undefined && { token }),
      filter,
      admits: compileFilter(filter),
      allowOrigin,
      maxClients,
    };
  });
}

/** The streams with their tokens: the entry's own, else the one provisioned for it in DATA_DIR. */
export function withStreamTokens(
  entries: readonly StreamEntry[],
  provisioned: ReadonlyMap<string, PersistedSecret>,
): StreamDefinition[] {
  return entries.map((entry) => {
    if (entry.token !== undefined) return { ...entry, token: entry.token };
    const stored = provisioned.get(entry.name);
    if (!stored) throw new Error(`no token was provisioned for stream "${entry.name}"`);
    return { ...entry, token: stored.value, tokenFile: { path: stored.path, generated: stored.generated } };
  });
}
