import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from './errors.js';

/** The YAML config file, before each section is validated by the part that owns it. */
export interface ConfigFile {
  /** Where it was read from; undefined when there is no file. */
  path?: string;
  sinks?: unknown[];
  subscriptions?: unknown[];
  streams?: unknown[];
}

export const DEFAULT_CONFIG_FILE = './eventsub-relay.yml';

/**
 * Replaces `${VAR}` with the environment's value; an unset variable is an error naming it.
 * `$${VAR}` is the escape for a literal: it becomes `${VAR}` and reads nothing.
 */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv, path: string): string {
  return text.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, escape: string, name: string) => {
    if (escape) return `\${${name}}`;
    const value = env[name];
    if (value === undefined)
      throw new ConfigError(path, `uses \${${name}} but ${name} is not set in the environment`);
    return value;
  });
}

/**
 * Reads CONFIG_FILE (default ./eventsub-relay.yml when present), substitutes `${VAR}` from the
 * environment and parses the YAML. Returns `{}` when no file is configured or present.
 */
export function loadConfigFile(
  configFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ConfigFile {
  const path = configFile ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'CONFIG_FILE',
      `cannot read ${path} (${(error as Error).message}); fix the path or unset CONFIG_FILE`,
    );
  }
  let parsed: unknown;
  try {
    parsed = parse(substituteEnv(text, env, path));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(path, `is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return { path };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      path,
      'must be a YAML mapping with `subscriptions:`, `sinks:` and/or `streams:` lists',
    );
  }
  const record = parsed as Record<string, unknown>;
  for (const key of ['sinks', 'subscriptions', 'streams'] as const) {
    if (record[key] !== undefined && !Array.isArray(record[key]))
      throw new ConfigError(key, 'must be a list (YAML `- ` items)');
  }
  return {
    path,
    ...(record.sinks !== undefined && { sinks: record.sinks as unknown[] }),
    ...(record.subscriptions !== undefined && { subscriptions: record.subscriptions as unknown[] }),
    ...(record.streams !== undefined && { streams: record.streams as unknown[] }),
  };
}
