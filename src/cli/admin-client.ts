import { loadRelayConfig } from '../config/relay-config.js';
import { readDashboardToken } from '../config/dashboard-token.js';
import { cliEnvironment } from './environment.js';
import { UserError } from './user-error.js';

/** The running relay's admin API as the CLI reaches it: its origin and the dashboard token. */
export interface AdminTarget {
  origin: string;
  token: string;
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
  const config = loadRelayConfig(env);
  const token = readDashboardToken(config.dataDir, config.dashboard);
  if (!token)
    throw new UserError(
      `no dashboard token to reach the relay's admin API with: set DASHBOARD_TOKEN, or start the relay once with this DATA_DIR ` +
        `(eventsub-relay serve writes ${config.dataDir}/dashboard-token)`,
    );
  const { host, port } = config.server;
  const reachable = { '0.0.0.0': '127.0.0.1', '::': '::1' }[host] ?? host;
  const origin = (
    options.url ?? `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`
  ).replace(/\/+$/, '');
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
): Promise<T> {
  const url = `${target.origin}/api${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${target.token}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
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
      `the relay answered ${response.status} ${error ?? ''}: ${message ?? text.slice(0, 200)}`,
    );
  }
  return parsed as T;
}
