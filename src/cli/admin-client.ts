import { isAbsolute, resolve } from 'node:path';
import { readDashboardToken } from '../config/dashboard-token.js';
import { parseEnv } from '../config/parse-env.js';
import { cliEnvironment } from './environment.js';
import { UserError } from './user-error.js';

/** A relay on this machine answers its health check in milliseconds; a busy one within this. */
const PROBE_TIMEOUT_MS = 1500;
/** An acting call (a sync against Twitch, a doctor run) may take a while. */
const CALL_TIMEOUT_MS = 120_000;

/** The running relay's admin API as the CLI reaches it: its origin and the dashboard token. */
export interface AdminTarget {
  /** The relay's origin, e.g. http://127.0.0.1:8080. */
  origin: string;
  token: string;
}

/** The running relay's admin API, reached with its dashboard token. */
export interface AdminClient {
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
export function dashboardToken(env: NodeJS.ProcessEnv): { value: string; from: string } | undefined {
  const parsed = parseEnv(env) as { DASHBOARD_TOKEN?: string; DATA_DIR: string };
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
  try {
    return readDashboardToken(dataDir, { ...(parsed.DASHBOARD_TOKEN && { token: parsed.DASHBOARD_TOKEN }) });
  } catch (error) {
    throw new UserError(
      `the dashboard token in ${dataDir} cannot be read (${(error as NodeJS.ErrnoException).code}): ` +
        'run this as the user the relay runs as (e.g. `sudo eventsub-relay …`), or set DASHBOARD_TOKEN',
    );
  }
}

/**
 * Where the running relay of this environment is (`--url`, else HOST:PORT on this machine) and
 * the dashboard token it accepts (DASHBOARD_TOKEN, else the file it generated in DATA_DIR).
 * Creates nothing.
 */
export function adminTarget(
  options: { url?: string },
  env: NodeJS.ProcessEnv = cliEnvironment(),
): AdminTarget {
  const token = dashboardToken(env);
  if (!token) {
    const { DATA_DIR } = parseEnv(env);
    throw new UserError(
      `no dashboard token to reach the relay's admin API with: set DASHBOARD_TOKEN, or start the relay once with this DATA_DIR ` +
        `(eventsub-relay serve writes ${resolve(DATA_DIR)}/dashboard-token)`,
    );
  }
  const origin = (options.url ?? relayOrigin(env)).replace(/\/+$/, '');
  return { origin, token: token.value };
}

/**
 * One admin API call (`path` below /api): the JSON answer, or a UserError saying what went wrong
 * — nothing listening (start the relay), a token it refuses, or the relay's own message.
 */
export async function callAdminApi<T>(
  target: AdminTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${target.origin}/api${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${target.token}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new UserError(
      `no relay answers at ${target.origin} (${cause}): start it with \`eventsub-relay serve\`, or pass --url with the origin of the running one`,
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(
      `${target.origin} answered ${method} /api${path} with HTTP ${response.status} and no JSON: is it an eventsub-relay with the admin API (and --url right)?`,
    );
  }
  if (!response.ok) {
    const { error, message } = (parsed ?? {}) as { error?: string; message?: string };
    if (response.status === 401)
      throw new UserError(
        `the relay at ${target.origin} refused the dashboard token (${message ?? error}): run this with the DATA_DIR or DASHBOARD_TOKEN of that relay`,
      );
    throw new UserError(
      `the relay at ${target.origin} refused: ${message ?? error ?? text.slice(0, 300)} (HTTP ${response.status})`,
    );
  }
  return parsed as T;
}

function clientFor(target: AdminTarget): AdminClient {
  return {
    origin: target.origin,
    post: (path, body) => callAdminApi(target, 'POST', path, body ?? {}),
    get: (path) => callAdminApi(target, 'GET', path),
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
    headers: { Authorization: `Bearer ${token.value}` },
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  }).catch(() => undefined);
  if (!probe || probe.status === 404) {
    await probe?.body?.cancel();
    return { reason: `the relay at ${origin} serves no admin API` };
  }
  if (!probe.ok) {
    await probe.body?.cancel();
    throw new UserError(
      `the relay at ${origin} refused the dashboard token (HTTP ${probe.status}). ` +
        'Give this command the DATA_DIR (or DASHBOARD_TOKEN) the relay uses',
    );
  }
  await probe.body?.cancel();
  return { relay: clientFor({ origin, token: token.value }) };
}

/** The one line a command writes to stderr when it acts on its own, not through a relay. */
export function actingLocallyNote(command: string, reason: string): string {
  return `eventsub-relay ${command}: ${reason}; acting with this command's own configuration\n`;
}
