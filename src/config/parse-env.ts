import { z } from 'zod';
import { ConfigError } from './errors.js';
import { envSchema, type ParsedEnv } from './env-schema.js';

/** Validates the environment; the first problem becomes a ConfigError naming the variable. */
export function parseEnv(env: NodeJS.ProcessEnv): ParsedEnv {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const [variable, index] = issue.path;
  const name = typeof index === 'number' ? `${String(variable)} (entry ${index + 1})` : String(variable);
  throw new ConfigError(name, issue.message);
}
