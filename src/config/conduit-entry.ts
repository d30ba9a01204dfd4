import { z } from 'zod';
import { ConfigError } from './errors.js';

/** Twitch's largest conduit (https://dev.twitch.tv/docs/eventsub/handling-conduit-events/, "Limits"). */
export const MAX_CONDUIT_SHARDS = 20_000;

/** The config file's `conduit:` (TRANSPORT=conduit): which conduit, and how many shards it has. */
export interface ConduitSettings {
  /** The conduit's id; unset: the relay creates one and keeps its id in DATA_DIR. */
  id?: string;
  /** How many shards the conduit has (ids 0..shards-1); each relay serves the one CONDUIT_SHARD names. */
  shards: number;
}

const conduitSchema = z.strictObject({
  id: z.string().min(1, 'must be a conduit id (eventsub-relay list shows it), or leave it out').optional(),
  shards: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_CONDUIT_SHARDS, `Twitch allows at most ${MAX_CONDUIT_SHARDS} shards per conduit`)
    .default(1),
});

/** Validates `conduit:`; errors name the field, e.g. `conduit.shards`. */
export function parseConduit(value: unknown): ConduitSettings | undefined {
  if (value === undefined || value === null) return undefined;
  const result = conduitSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(
      ['conduit', ...issue.path.map(String)].join('.'),
      `${issue.message} (expected { id?, shards? }, e.g. conduit: { shards: 2 })`,
    );
  }
  const { id, shards } = result.data;
  return { shards, ...(id !== undefined && { id }) };
}
