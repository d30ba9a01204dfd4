import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The YAML parser, loaded the first time a config file is read (synchronously: the config is read
 * on first use, from synchronous code); a relay without a config file never loads it.
 */
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');
import { didYouMean } from './did-you-mean.js';
import { ConfigError } from './errors.js';

/** The YAML config file, before each section is validated by the part that owns it. */
export interface ConfigFile {
  /** Where it was read from; undefined when there is no file. */
  path?: string;
  sinks?: unknown[];
  subscriptions?: unknown[];
  streams?: unknown[];
  /** TRANSPORT=conduit: a mapping, validated by config/conduit-entry.ts. */
  conduit?: unknown;
  /** The OBS alert box: a mapping, validated by alerts/alert-config.ts. */
  alerts?: unknown;
}

export const DEFAULT_CONFIG_FILE = './eventsub-relay.yml';

/** The top-level keys the file may have; anything else is a mistake (`sink:`, `Sinks:`), never ignored. */
export const TOP_LEVEL_KEYS = ['sinks', 'subscriptions', 'streams', 'conduit', 'alerts'] as const;
const LIST_KEYS = ['sinks', 'subscriptions', 'streams'] as const;

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

const SCALAR_TOKENS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar']);

/** Substitutes `${VAR}` in every scalar of a YAML CST node, recursively; comments are left as written. */
function substituteInScalars(node: unknown, env: NodeJS.ProcessEnv, path: string): void {
  if (Array.isArray(node)) {
    for (const item of node) substituteInScalars(item, env, path);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const token = node as { type?: string; source?: unknown };
  if (token.type === 'comment') return;
  if (token.type && SCALAR_TOKENS.has(token.type) && typeof token.source === 'string') {
    token.source = substituteEnv(token.source, env, path);
  }
  for (const value of Object.values(node)) substituteInScalars(value, env, path);
}

/**
 * `substituteEnv` applied to the YAML text outside comments: a commented-out line mentioning
 * `${UNSET}` is neither an error nor read. The text is substituted as before (so `${N}` in a plain
 * scalar still becomes a number), only the comment tokens are skipped.
 */
export function substituteOutsideComments(text: string, env: NodeJS.ProcessEnv, path: string): string {
  const { CST, Parser } = yaml();
  const tokens = [...new Parser().parse(text)];
  substituteInScalars(tokens, env, path);
  return tokens.map((token) => CST.stringify(token)).join('');
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
    parsed = yaml().parse(substituteOutsideComments(text, env, path));
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
  const unknown = Object.keys(record).find((key) => !(TOP_LEVEL_KEYS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    const meant = didYouMean(unknown, TOP_LEVEL_KEYS);
    throw new ConfigError(
      unknown,
      `unknown top-level key in ${path}${meant ? `; did you mean "${meant}"?` : ''} (known: ${TOP_LEVEL_KEYS.join(', ')}); ` +
        'nothing under it would be read',
    );
  }
  for (const key of LIST_KEYS) {
    if (record[key] !== undefined && !Array.isArray(record[key]))
      throw new ConfigError(key, 'must be a list (YAML `- ` items)');
  }
  return {
    path,
    ...(record.sinks !== undefined && { sinks: record.sinks as unknown[] }),
    ...(record.subscriptions !== undefined && { subscriptions: record.subscriptions as unknown[] }),
    ...(record.streams !== undefined && { streams: record.streams as unknown[] }),
    ...(record.conduit !== undefined && { conduit: record.conduit }),
    ...(record.alerts !== undefined && { alerts: record.alerts }),
  };
}
