import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseEnv } from '../config/parse-env.js';
import { UserError } from './user-error.js';

/** The file the relay keeps its dashboard token in when DASHBOARD_TOKEN is not set. */
const TOKEN_FILE = 'dashboard-token';
/** A relay on this machine answers its health check in milliseconds; a busy one within this. */
const PROBE_TIMEOUT_MS = 1500;
/** An acting call (a sync against Twitch, a doctor run) may take a while. */
const CALL_TIMEOUT_MS = 120_000;

/** The running relay's admin API, reached with its dashboard token. */
export interface AdminClient {
  /** The relay's origin, e.g. http://127.0.0.1:8080. */
  origin: string;
  /** POSTs `body` as JSON to `/api<path>`; resolves with the JSON answer, throws a UserError on 4xx/5xx. */
  post<T>(path: string, body: unknown): Promise<T>;
  get<T>(path: string): Promise<T>;
}

/** Where this environment's relay listens: HOST/PORT, an every-address HOST reached on loopback. */
export function relayOrigin(env: NodeJS.ProcessEnv): string {
  const parsed = parseEnv(env);
  const host = { '0.0.0.0': '127.0.0.1', '::': '::1' }[parsed.HOST] ?? parsed.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${parsed.PORT}`;
}

/** The dashboard token as the relay reads it: DASHBOARD_TOKEN, else DATA_DIR/dashboard-token. */
export function dashboardToken(env: NodeJS.ProcessEnv): string | undefined {
  const parsed = parseEnv(env) as { DASHBOARD_TOKEN?: string; DATA_DIR: string };
  if (parsed.DASHBOARD_TOKEN) return parsed.DASHBOARD_TOKEN;
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
  const path = join(dataDir, TOKEN_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UserError(
      `a relay runs, but its dashboard token in ${path} cannot be read (${(error as NodeJS.ErrnoException).code}): ` +
        'run this as the user the relay runs as (e.g. `sudo eventsub-relay …`), or set DASHBOARD_TOKEN',
    );
  }
}

/** The `{error, message}` a relay answers a refused call with, as one sentence. */
async function refusal(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: string; message?: string };
    return parsed.message ?? parsed.error ?? text.slice(0, 300);
  } catch {
    return text.slice(0, 300) || `HTTP ${response.status}`;
  }
}

function clientFor(origin: string, token: string): AdminClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${origin}/api${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (!response.ok)
      throw new UserError(
        `the relay at ${origin} refused: ${await refusal(response)} (HTTP ${response.status})`,
      );
    return (await response.json()) as T;
  };
  return {
    origin,
    post: (path, body) => call('POST', path, body ?? {}),
    get: (path) => call('GET', path),
  };
}

/** The running relay to act through, or why this command acts on its own. */
export type RelayLookup = { relay: AdminClient } | { relay?: undefined; reason: string };

/**
 * The relay of this environment (HOST/PORT), when one runs and serves the admin API, after one
 * short probe; otherwise why not (nothing answers there, or what answers has no admin API). A
 * relay that refuses our token is an error: acting beside it would use another configuration.
 */
export async function findRunningRelay(env: NodeJS.ProcessEnv): Promise<RelayLookup> {
  const origin = relayOrigin(env);
  try {
    const health = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await health.body?.cancel();
    if (!health.ok) return { reason: `the relay at ${origin} is not healthy (HTTP ${health.status})` };
  } catch {
    return { reason: `no relay answers at ${origin}` };
  }
  const token = dashboardToken(env);
  if (token === undefined)
    return { reason: `the relay at ${origin} has no dashboard token in this DATA_DIR (nor DASHBOARD_TOKEN)` };
  const probe = await fetch(`${origin}/api/operations`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  }).catch(() => undefined);
  if (!probe || probe.status === 404) {
    await probe?.body?.cancel();
    return { reason: `the relay at ${origin} serves no admin API` };
  }
  if (!probe.ok)
    throw new UserError(
      `the relay at ${origin} refused the dashboard token: ${await refusal(probe)}. ` +
        'Give this command the DATA_DIR (or DASHBOARD_TOKEN) the relay uses',
    );
  await probe.body?.cancel();
  return { relay: clientFor(origin, token) };
}

/** The one line a command writes to stderr when it acts on its own, not through a relay. */
export function actingLocallyNote(command: string, reason: string): string {
  return `eventsub-relay ${command}: ${reason}; acting with this command's own configuration\n`;
}
