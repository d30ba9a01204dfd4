import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DashboardSettings } from './relay-config.js';
import { loadOrCreateSecret, type PersistedSecret } from './secret-file.js';

/** The file in DATA_DIR that keeps the generated dashboard token (mode 0600). */
export const DASHBOARD_TOKEN_FILE = 'dashboard-token';

/** 43 URL-safe characters (256 bits): fits a URL fragment and a header without escaping. */
const generateDashboardToken = (): string => randomBytes(32).toString('base64url');

/** The token that opens the admin API and the dashboard, and where it is kept when generated. */
export interface DashboardToken {
  value: string;
  /** Set when the token is kept in DATA_DIR (DASHBOARD_TOKEN unset); `generated` on its first start. */
  file?: PersistedSecret;
}

/**
 * DASHBOARD_TOKEN, else the one in DATA_DIR/dashboard-token, else a new one generated there (256
 * bits, 0600) and kept for every later start, so a login URL handed out stays good. DATA_DIR must
 * exist (provisionDataDir creates it first).
 */
export function provisionDashboardToken(dataDir: string, settings: DashboardSettings): DashboardToken {
  if (settings.token !== undefined) return { value: settings.token };
  const file = loadOrCreateSecret(dataDir, DASHBOARD_TOKEN_FILE, generateDashboardToken);
  return { value: file.value, file };
}

/**
 * The token as the running relay uses it, for the CLI (`eventsub-relay dashboard`): DASHBOARD_TOKEN,
 * else the file a relay generated in DATA_DIR; undefined when neither exists (nothing is created).
 */
export function readDashboardToken(
  dataDir: string,
  settings: DashboardSettings,
): { value: string; from: string } | undefined {
  if (settings.token !== undefined) return { value: settings.token, from: 'DASHBOARD_TOKEN' };
  const path = join(dataDir, DASHBOARD_TOKEN_FILE);
  if (!existsSync(path)) return undefined;
  return { value: readFileSync(path, 'utf8').trim(), from: path };
}
