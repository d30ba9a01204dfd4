import { Writable } from 'node:stream';
import { loadRelayConfig, type RelayConfig } from '../../src/config/relay-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRelay, type RunningRelay } from '../../src/server/start-relay.js';
import { createTempDatabase } from './pg-database.js';
import { tempDir } from './temp-dir.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/** One parsed pino line: `level` is pino's number (30 info, 40 warn, 50 error), `msg` the message. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

export const LOG_LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/**
 * A relay started in this process on a free port, with its own DATA_DIR; `close()` stops it and removes the folder.
 * With RELAY_TEST_STORE=postgres (set by the services tier) each relay gets its own fresh PostgreSQL
 * database instead of SQLite, dropped on close: the same suites then run against both stores.
 * With `captureLogs`, the relay's real logger (redaction included) writes at debug into memory and
 * `logs()` returns the lines written so far, raw (`logText()`) or parsed.
 */
export async function startTestRelay(
  env: Record<string, string> = {},
  options: { captureLogs?: boolean } = {},
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
  const config = loadRelayConfig({
    DATA_DIR: dir.path,
    PORT: '0',
    EVENTSUB_SECRET: TEST_SECRET,
    ...storeEnv,
    ...env,
  });
  config.shutdownTimeoutMs = 1000;
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const logger = options.captureLogs ? createLogger('debug', destination) : createLogger('silent');
  const relay = await startRelay(config, logger, { ...process.env, ...env });
  return {
    ...relay,
    config,
    logText: () => text,
    logs: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine),
    close: async () => {
      await relay.stop();
      await db?.drop();
      dir.cleanup();
    },
  };
}
