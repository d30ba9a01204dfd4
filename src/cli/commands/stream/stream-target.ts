import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadConfigFile } from '../../../config/config-file.js';
import { parseEnv } from '../../../config/parse-env.js';
import { cliEnvironment } from '../../environment.js';
import { UserError } from '../../user-error.js';

/** Which stream `stream tail` opens, and with what token. */
export interface StreamTarget {
  url: string;
  name: string;
  token: string;
}

/** A `streams:` entry as written (validated by the relay that serves it, not here). */
interface StreamEntry {
  name?: unknown;
  token?: unknown;
}

/** Why `--stream NAME` cannot be opened from this config file, and which names can. */
function unknownStreamMessage(name: string, path: string | undefined, entries: StreamEntry[]): string {
  const names = entries.map((entry) => entry?.name).filter((n): n is string => typeof n === 'string');
  const where = path ?? 'the config file';
  const known = names.length
    ? `the configured streams are ${names.join(', ')}`
    : `${where} has no \`streams:\` entries`;
  return (
    `no stream named "${name}" in ${where}; ${known} ` +
    '(for a stream of another relay, pass its --url and --token)'
  );
}

/** The token file a relay generates for a stream whose entry has no `token:` (see stream-config.ts). */
const tokenFile = (dataDir: string, name: string) => join(dataDir, `stream-token-${name}`);

/**
 * Resolves the stream from the options and this environment, never creating anything: the name
 * (--stream, else the config file's first `streams:` entry), the token (--token, STREAM_TOKEN, the
 * entry's `token:`, else the file the relay generated in DATA_DIR) and the relay's origin (--url,
 * else HOST:PORT on this machine).
 */
export function resolveStreamTarget(
  options: { stream?: string; token?: string; url?: string },
  env: NodeJS.ProcessEnv = cliEnvironment(),
): StreamTarget {
  const parsed = parseEnv(env);
  const file = loadConfigFile(parsed.CONFIG_FILE, env);
  const entries = (file.streams ?? []) as StreamEntry[];
  const name = options.stream ?? (typeof entries[0]?.name === 'string' ? entries[0].name : undefined);
  if (!name)
    throw new UserError(
      'no stream to open: pass --stream NAME, or add a `streams:` entry to eventsub-relay.yml',
    );
  const entry = entries.find((candidate) => candidate?.name === name);
  const given = options.token ?? env.STREAM_TOKEN;
  // With a token given, the stream may be another relay's (--url): that relay says whether it exists.
  if (!entry && given === undefined) throw new UserError(unknownStreamMessage(name, file.path, entries));
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
  let token = given ?? (typeof entry?.token === 'string' ? entry.token : undefined);
  if (!token && existsSync(tokenFile(dataDir, name)))
    token = readFileSync(tokenFile(dataDir, name), 'utf8').trim();
  if (!token)
    throw new UserError(
      `no token for stream "${name}": pass --token or set STREAM_TOKEN, or start the relay once with this DATA_DIR (it writes ${tokenFile(dataDir, name)})`,
    );
  const host = { '0.0.0.0': '127.0.0.1', '::': '::1' }[parsed.HOST] ?? parsed.HOST;
  const origin = (options.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${parsed.PORT}`).replace(
    /\/+$/,
    '',
  );
  return { url: `${origin}/stream/${encodeURIComponent(name)}`, name, token };
}
