import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../observability/logger.js';
import type { StoreMaintenance } from './store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  /** Events older than this many days are deleted once delivered (or dead); 0 keeps everything. */
  retentionDays: number;
  /** Rows per delete transaction: small, so a pass never holds locks for long. */
  batchSize?: number;
  /** Time between passes. */
  intervalMs?: number;
  logger: Logger;
}

/**
 * Runs one retention pass now and then every `intervalMs`: delivered events older than the
 * retention are deleted, then dead deliveries older than it. Pending deliveries are never touched.
 * Safe on several replicas at once (each delete batch skips rows another replica holds).
 * Returns `stop`, which waits for a running pass to finish.
 */
export function startRetention(
  store: StoreMaintenance,
  options: RetentionOptions,
): { stop(): Promise<void> } {
  if (options.retentionDays <= 0) return { stop: async () => undefined };
  const batchSize = options.batchSize ?? 500;
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const pass = async () => {
    if (stopped) return;
    const cutoff = new Date(Date.now() - options.retentionDays * DAY_MS);
    try {
      const delivered = await inBatches(
        (n) => store.deleteDeliveredBefore(cutoff, n),
        batchSize,
        () => stopped,
      );
      const dead = stopped
        ? 0
        : await inBatches(
            (n) => store.deleteDeadBefore(cutoff, n),
            batchSize,
            () => stopped,
          );
      if (delivered + dead > 0) {
        options.logger.info(
          { delivered, dead, cutoff: cutoff.toISOString() },
          'retention: deleted old events',
        );
      }
    } catch (error) {
      // Retention is housekeeping: a failed pass is retried at the next interval, never fatal.
      options.logger.warn({ err: error }, 'retention pass failed; retrying at the next interval');
    }
  };

  running = pass();
  const timer = setInterval(() => {
    running = running.then(pass);
  }, intervalMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Calls `deleteSome` (one batch per call) until it returns less than a full batch, giving the event
 * loop a turn between calls (SQLite runs synchronously: without the turn, a long pass would hold up
 * /callback) and stopping early once the relay stops.
 */
async function inBatches(
  deleteSome: (batchSize: number) => Promise<number>,
  batchSize: number,
  stopped: () => boolean,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteSome(batchSize);
    total += deleted;
    if (deleted < batchSize || stopped()) return total;
    await nextTurn();
  }
}
