import { isAbsolute, join, resolve } from 'node:path';
import { parseEnv } from './parse-env.js';

/** Where the relay's store is, as the environment says, found without creating anything. */
export interface StoreLocation {
  storeUrl: string;
  /** DATA_DIR, resolved. */
  dataDir: string;
  /** True when STORE_URL names it; false for the default SQLite file in DATA_DIR. */
  fromStoreUrl: boolean;
}

/**
 * STORE_URL, else the default SQLite file in DATA_DIR: what `loadRelayConfig` resolves, for commands
 * that only read (they must not create DATA_DIR or generate a secret on the way).
 */
export function storeLocation(env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const parsed = parseEnv(env);
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
  return {
    storeUrl: parsed.STORE_URL ?? defaultStoreUrl(dataDir),
    dataDir,
    fromStoreUrl: parsed.STORE_URL !== undefined,
  };
}

/** Default store: one SQLite file inside DATA_DIR. */
export function defaultStoreUrl(dataDir: string): string {
  return 'sqlite:' + join(dataDir, 'eventsub-relay.sqlite');
}
