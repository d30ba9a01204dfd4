import type { z } from 'zod';
import { ConfigError } from './errors.js';

/** Turning zod's findings about one config-file entry (`sinks[i]`, `streams[i]`) into ConfigErrors that name the field. */

type Schema = { def?: { innerType?: Schema; in?: Schema }; shape?: Record<string, Schema> };

/** Through .default(), .optional() and pipes to the schema that has the object shape. */
function unwrap(schema: Schema | undefined): Schema | undefined {
  let current = schema;
  while (current && !current.shape && (current.def?.innerType || current.def?.in))
    current = current.def.innerType ?? current.def.in;
  return current;
}

/** The keys an object schema knows at `path` (empty when it is not an object schema). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[] = []): string[] {
  let current = unwrap(schema as Schema);
  for (const key of path) current = unwrap(current?.shape?.[String(key)]);
  return current?.shape ? Object.keys(current.shape) : [];
}

/** The known key a mistyped one most likely meant: same letters in another case, or a prefix either way. */
function likelyMeant(key: string, known: readonly string[]): string | undefined {
  const typed = key.toLowerCase();
  return (
    known.find((candidate) => candidate.toLowerCase() === typed) ??
    known.find((candidate) => {
      const name = candidate.toLowerCase();
      return name.length >= 3 && typed.length >= 3 && (name.startsWith(typed) || typed.startsWith(name));
    })
  );
}

const fieldPath = (parts: readonly PropertyKey[]) => parts.join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');

/** `sinks[0].timeout: unknown key; did you mean "timeoutMs"? (known: …)`. */
export function unknownKeyError(path: string, where: readonly PropertyKey[], key: string, known: string[]) {
  const meant = likelyMeant(key, known);
  return new ConfigError(
    fieldPath([path, ...where, key]),
    `unknown key${meant ? `; did you mean "${meant}"?` : ''} (known here: ${known.join(', ')})`,
  );
}

/** The first zod issue as a ConfigError; `schemas` tell which keys are known where for unknown-key issues. */
export function issueError(
  path: string,
  issue: z.core.$ZodIssue | undefined,
  schemas: z.ZodType[],
): ConfigError {
  if (issue?.code === 'unrecognized_keys') {
    const known = [...new Set(schemas.flatMap((schema) => keysAt(schema, issue.path)))];
    return unknownKeyError(path, issue.path, issue.keys[0] ?? '?', known);
  }
  return new ConfigError(fieldPath([path, ...(issue?.path ?? [])]), issue?.message ?? 'invalid');
}
