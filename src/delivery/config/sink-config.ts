import { z } from 'zod';
import { ConfigError } from '../../config/errors.js';
import type { SinkRegistry } from '../../sinks/registry.js';
import { attemptDeadlineMs, MAX_ATTEMPT_TIMEOUT_MS } from '../attempt-deadline.js';
import { issueError, keysAt, unknownKeyError } from '../../config/zod-issues.js';
import { DEFAULT_JITTER, DEFAULT_RETRY_SCHEDULE_SECONDS, type RetryPolicy } from '../retry-schedule.js';
import { sinkFilterSchema, type SinkFilter } from '../../twitch/event-filter.js';

/** A validated sink entry: common delivery settings plus the kind's own options. */
export interface SinkDefinition {
  name: string;
  kind: string;
  options: unknown;
  filter: SinkFilter;
  retry: RetryPolicy;
  /** Deliveries in flight at once for this sink. */
  concurrency: number;
  /** The worker aborts an attempt after this long: the kind's `timeoutMs` plus a grace; unset, the worker's default. */
  attemptTimeoutMs: number | undefined;
}

/** Deliveries in flight per sink unless the entry or its kind says otherwise. */
const DEFAULT_CONCURRENCY = 8;

const commonSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, 'must be letters, digits, - or _ (e.g. "consumer")'),
  kind: z.string(),
  filter: sinkFilterSchema,
  retry: z
    .strictObject({
      schedule: z
        .array(z.number().positive())
        .min(1)
        .default([...DEFAULT_RETRY_SCHEDULE_SECONDS]),
      jitter: z.number().min(0).max(1).default(DEFAULT_JITTER),
    })
    .default({ schedule: [...DEFAULT_RETRY_SCHEDULE_SECONDS], jitter: DEFAULT_JITTER }),
  concurrency: z.number().int().min(1).max(256).optional(),
});
const COMMON_KEYS = Object.keys(commonSchema.shape);

/**
 * Validates one `sinks[i]` entry: the common fields, then the rest against its kind's schema. Every
 * key must be known (a misspelled `timeout` or `filters` is an error, not silently dropped), and a
 * `timeoutMs` may not exceed MAX_ATTEMPT_TIMEOUT_MS (the worker's lease must outlast an attempt).
 */
export function parseSinkEntry(kinds: SinkRegistry, entry: unknown, path: string): SinkDefinition {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new ConfigError(path, 'must be a mapping with at least name and kind');
  }
  const record = entry as Record<string, unknown>;
  const common = commonSchema.safeParse(record);
  if (!common.success) throw issueError(path, common.error.issues[0], [commonSchema]);
  const kind = kinds.get(common.data.kind);
  if (!kind) {
    throw new ConfigError(
      `${path}.kind`,
      `unknown sink kind "${common.data.kind}"; one of ${[...kinds.keys()].join(', ')}`,
    );
  }
  const rest = Object.fromEntries(Object.entries(record).filter(([key]) => !COMMON_KEYS.includes(key)));
  // Checked here as well as by strict schemas, so a kind whose schema is not strict gets the same rule.
  const kindKeys = keysAt(kind.optionsSchema);
  const unknown = Object.keys(rest).find((key) => kindKeys.length > 0 && !kindKeys.includes(key));
  if (unknown !== undefined) throw unknownKeyError(path, [], unknown, [...COMMON_KEYS, ...kindKeys]);
  const options = kind.optionsSchema.safeParse(rest);
  if (!options.success) throw issueError(path, options.error.issues[0], [kind.optionsSchema, commonSchema]);
  const timeoutMs = (options.data as { timeoutMs?: unknown }).timeoutMs;
  if (typeof timeoutMs === 'number' && timeoutMs > MAX_ATTEMPT_TIMEOUT_MS) {
    throw new ConfigError(
      `${path}.timeoutMs`,
      `must be at most ${MAX_ATTEMPT_TIMEOUT_MS} ms: one attempt must end well inside the delivery lease (DELIVERY_LEASE_MS)`,
    );
  }
  const { retry, concurrency, ...others } = common.data;
  return {
    ...others,
    concurrency: concurrency ?? kind.defaultConcurrency ?? DEFAULT_CONCURRENCY,
    options: options.data,
    retry: { scheduleSeconds: retry.schedule, jitter: retry.jitter },
    attemptTimeoutMs: attemptDeadlineMs(options.data),
  };
}

/** Validates the whole `sinks:` list; names must be unique (deliveries are tracked by name). */
export function parseSinkEntries(kinds: SinkRegistry, entries: readonly unknown[]): SinkDefinition[] {
  const definitions = entries.map((entry, index) => parseSinkEntry(kinds, entry, `sinks[${index}]`));
  const seen = new Set<string>();
  definitions.forEach((definition, index) => {
    if (seen.has(definition.name)) {
      throw new ConfigError(
        `sinks[${index}].name`,
        `"${definition.name}" is used twice; sink names must be unique`,
      );
    }
    seen.add(definition.name);
  });
  return definitions;
}
