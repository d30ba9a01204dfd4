import { loadRelayConfig, type RelayConfig } from '../../src/config/relay-config.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { startRelay, type RunningRelay } from '../../src/relay/start-relay.js';
import { createTempDatabase } from './pg-database.js';
import { captureLogs, LEVEL, type LogLine } from './log-capture.js';
import { tempDir } from './temp-dir.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

export type { LogLine };
export const LOG_LEVEL = LEVEL;

/**
 * A relay started in this process on a free port, with its own DATA_DIR; `close()` stops it and removes the folder.
 * With RELAY_TEST_STORE=postgres (set by the services tier) each relay gets its own fresh PostgreSQL
 * database instead of SQLite, dropped on close: the same suites then run against both stores.
 * With `captureLogs`, the relay's real logger (redaction included) writes at debug into memory and
 * `logs()` returns the lines written so far, raw (`logText()`) or parsed; or pass your own `logger`
 * (e.g. from captureLogs()).
 */
export async function startTestRelay(
  env: Record<string, string> = {},
  options: { captureLogs?: boolean; logger?: Logger } = {},
): Promise<
  RunningRelay & {
    config: RelayConfig;
    close: () => Promise<void>;
    logs: () => LogLine[];
    logText: () => string;
  }
> {
  const dir = tempDir();
  const db = process.env.RELAY_TEST_STORE === 'postgres' ? await createTempDatabase() : undefined;
  const storeEnv: Record<string, string> = db ? { STORE_URL: db.url } : {};
  const captured = options.captureLogs ? captureLogs('debug') : undefined;
  const logger = options.logger ?? captured?.logger ?? createLogger('silent');
  let config: RelayConfig;
  let relay: RunningRelay;
  try {
    config = loadRelayConfig({
      DATA_DIR: dir.path,
      PORT: '0',
      EVENTSUB_SECRET: TEST_SECRET,
      ...storeEnv,
      ...env,
    });
    config.server.shutdownTimeoutMs = 1000;
    relay = await startRelay(config, logger);
  } catch (error) {
    // A start that fails (tests of configuration errors) leaves no folder or database behind.
    await db?.drop();
    dir.cleanup();
    throw error;
  }
  return {
    ...relay,
    config,
    logText: () => captured?.text() ?? '',
    logs: () => captured?.lines ?? [],
    close: async () => {
      await relay.stop();
      await db?.drop();
      dir.cleanup();
    },
  };
}
