import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { SECRET_FILE_NAME } from '../../../config/provision.js';
import { parseEnv } from '../../../config/parse-env.js';
import { cliEnvironment } from '../../environment.js';
import { UserError } from '../../user-error.js';

/**
 * The EventSub secret the relay of this environment verifies with: EVENTSUB_SECRET, else the one
 * it generated into DATA_DIR. Unlike the relay's own start, this never creates anything.
 */
export function relaySecret(env: NodeJS.ProcessEnv = cliEnvironment()): string {
  const parsed = parseEnv(env);
  if (parsed.EVENTSUB_SECRET) return parsed.EVENTSUB_SECRET;
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
  const path = join(dataDir, SECRET_FILE_NAME);
  if (!existsSync(path)) {
    throw new UserError(
      `no EventSub secret to sign with: EVENTSUB_SECRET is not set and ${path} does not exist. ` +
        'Start the relay once with this DATA_DIR (it generates the secret there), set EVENTSUB_SECRET, or pass --secret',
    );
  }
  return readFileSync(path, 'utf8').trim();
}

/** Where `--to` sends: the local /callback (HOST/PORT), `public` (PUBLIC_URL/callback) or a URL. */
export function callbackTarget(to: string | undefined, env: NodeJS.ProcessEnv = cliEnvironment()): string {
  const parsed = parseEnv(env);
  if (to === undefined) {
    // A relay listening on every address is reached on loopback.
    const host = { '0.0.0.0': '127.0.0.1', '::': '::1' }[parsed.HOST] ?? parsed.HOST;
    return `http://${host.includes(':') ? `[${host}]` : host}:${parsed.PORT}/callback`;
  }
  if (to === 'public') {
    if (!parsed.PUBLIC_URL)
      throw new UserError(
        '--to public needs PUBLIC_URL (the https origin Twitch reaches, e.g. https://relay.example.com)',
      );
    return parsed.PUBLIC_URL.replace(/\/+$/, '') + '/callback';
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new UserError(
      `--to "${to}" is not a URL: give e.g. http://127.0.0.1:8080/callback, or "public" for PUBLIC_URL/callback`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserError(`--to must be an http(s) URL, got ${url.protocol}`);
  if (url.pathname === '/') url.pathname = '/callback'; // an origin alone means its callback
  return url.toString();
}
