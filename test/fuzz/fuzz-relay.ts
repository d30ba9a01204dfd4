import { expect } from '@jest/globals';
import type { Store } from '../../src/store/store.js';
import { DEFAULT_STORE, openStoreFor } from '../support/process-store.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';

export const FUZZ_SECRET = 'fuzz-secret-0123456789abcdef';

/** The relay under fuzz: a real `eventsub-relay serve` process on SQLite, and a view of its store. */
export interface FuzzRelay {
  port: number;
  url: string;
  store: Store;
  /** Fails the property at once if the process has died. */
  expectAlive(): void;
  /**
   * Nothing the relay logged was an error (a 503, a handler crash, a store failure). LOG_LEVEL=error:
   * the only other error lines are the advice for revocations that stop events, which are expected.
   */
  expectNoErrorLogged(): void;
  close(): Promise<void>;
}

function isRevocationAdvice(line: string): boolean {
  try {
    return /^Twitch revoked /.test((JSON.parse(line) as { msg?: string }).msg ?? '');
  } catch {
    return false;
  }
}

export async function startFuzzRelay(): Promise<FuzzRelay> {
  const dir = tempDir('eventsub-relay-fuzz-');
  // LOG_LEVEL=error: every line the relay writes is then a failure the fuzz must see.
  const relay: RelayProcess = await startRelayProcess({
    ...DEFAULT_STORE,
    DATA_DIR: dir.path,
    EVENTSUB_SECRET: FUZZ_SECRET,
    LOG_LEVEL: 'error',
  });
  const store = await openStoreFor(dir.path);
  const startupOutput = relay.output().length;
  return {
    port: Number(new URL(relay.url).port),
    url: relay.url,
    store,
    expectAlive() {
      expect({ exitCode: relay.child.exitCode, signal: relay.child.signalCode }).toEqual({
        exitCode: null,
        signal: null,
      });
    },
    expectNoErrorLogged() {
      const lines = relay.output().slice(startupOutput).split('\n').filter(Boolean);
      expect(lines.filter((line) => !isRevocationAdvice(line))).toEqual([]);
    },
    async close() {
      await store.close();
      relay.child.kill('SIGTERM');
      await relay.exited;
      dir.cleanup();
    },
  };
}
