import { loadRelayConfig, type RelayConfig } from '../../src/config/relay-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRelay, type RunningRelay } from '../../src/server/start-relay.js';
import { tempDir } from './temp-dir.js';

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/** A relay started in this process on a free port, with its own DATA_DIR; `close()` stops it and removes the folder. */
export async function startTestRelay(
  env: Record<string, string> = {},
): Promise<RunningRelay & { config: RelayConfig; close: () => Promise<void> }> {
  const dir = tempDir();
  const config = loadRelayConfig({ DATA_DIR: dir.path, PORT: '0', EVENTSUB_SECRET: TEST_SECRET, ...env });
  config.shutdownTimeoutMs = 1000;
  const relay = await startRelay(config, createLogger('silent'), { ...process.env, ...env });
  return {
    ...relay,
    config,
    close: async () => {
      await relay.stop();
      dir.cleanup();
    },
  };
}
