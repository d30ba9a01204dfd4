import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from './errors.js';

/** The YAML config file, with each section left for its owner (sinks, subscriptions) to validate. */
export interface ConfigFile {
  path: string;
  sinks: unknown[];
  subscriptions: unknown[];
}

export const DEFAULT_CONFIG_FILE = './eventsub-relay.yml';

/** `${VAR}` reads the environment; `$${VAR}` is a literal `${VAR}`. An unset variable is an error, not "". */
export function interpolateEnv(text: string, env: NodeJS.ProcessEnv, file: string): string {
  return text.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    const value = env[name];
    if (value === undefined)
      throw new ConfigError(`${file}: \${${name}}`, `environment variable ${name} is not set`);
    return value;
  });
}

/**
 * Reads CONFIG_FILE (or ./eventsub-relay.yml when it exists). No file at all is fine: the
 * environment alone configures the relay. A named file that is missing is an error.
 */
export function loadConfigFile(
  explicitPath: string | undefined,
  env: NodeJS.ProcessEnv,
): ConfigFile | undefined {
  const path = explicitPath ?? DEFAULT_CONFIG_FILE;
  if (!existsSync(path)) {
    if (explicitPath) throw new ConfigError('CONFIG_FILE', `${path} does not exist`);
    return undefined;
  }
  const document = parseDocument(interpolateEnv(readFileSync(path, 'utf8'), env, path));
  if (document.errors.length > 0) {
    throw new ConfigError(path, `is not valid YAML: ${document.errors[0]?.message}`);
  }
  const root = (document.toJS() ?? {}) as Record<string, unknown>;
  if (typeof root !== 'object' || Array.isArray(root)) throw new ConfigError(path, 'must be a YAML mapping');
  for (const key of Object.keys(root)) {
    if (key !== 'sinks' && key !== 'subscriptions') {
      throw new ConfigError(`${path}: ${key}`, 'unknown key; expected sinks and/or subscriptions');
    }
  }
  for (const key of ['sinks', 'subscriptions'] as const) {
    if (root[key] !== undefined && !Array.isArray(root[key])) throw new ConfigError(key, 'must be a list');
  }
  return {
    path,
    sinks: (root.sinks as unknown[] | undefined) ?? [],
    subscriptions: (root.subscriptions as unknown[] | undefined) ?? [],
  };
}
