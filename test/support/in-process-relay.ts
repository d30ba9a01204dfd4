import { loadRelayConfig, type RelayConfig } from '../../src/config/relay-config.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { startRelay, type RunningRelay } from '../../src/server/start-relay.js';
import { createTempDatabase } from './pg-database.js';
import { tempDir } from './temp-dir.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/**
 * A relay started in this process on a free port, with its own DATA_DIR; `close()` stops it and removes the folder.
 * With RELAY_TEST_STORE=postgres (set by the services tier) each relay gets its own fresh PostgreSQL
 * database instead of SQLite, dropped on close: the same suites then run against both stores.
 * `options.logger` (e.g. from captureLogs) lets a test read what the relay logged.
 */
export async function startTestRelay(
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<RunningRelay & { config: RelayConfig; close: () => Promise<void> }> {
  const dir = tempDir();
  const db = process.env.RELAY_TEST_STORE === 'postgres' ? await createTempDatabase() : undefined;
  const storeEnv: Record<string, string> = db ? { STORE_URL: db.url } : {};
  const config = loadRelayConfig({
    DATA_DIR: dir.path,
    PORT: '0',
    EVENTSUB_SECRET: TEST_SECRET,
    ...storeEnv,
    ...env,
  });
  config.shutdownTimeoutMs = 1000;
  const relay = await startRelay(config, options.logger ?? createLogger('silent'), {
    ...process.env,
    ...env,
  });
  return {
    ...relay,
    config,
    close: async () => {
      await relay.stop();
      await db?.drop();
      dir.cleanup();
    },
  };
}
