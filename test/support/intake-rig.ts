import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryWorker, type WorkerSink } from '../../src/delivery/delivery-worker.js';
import { createIntake, type RelayIntake } from '../../src/delivery/intake.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { fileSinkKind } from '../../src/sinks/file.js';
import type { Sink } from '../../src/sinks/sink.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Envelope } from '../../src/twitch/envelope.js';
import { captureLogs, type LogLine } from './log-capture.js';
import { tempDir } from './temp-dir.js';

/**
 * The delivery side of the relay without HTTP: a real SQLite store in a temp folder, a real file
 * sink (one JSON line per delivered envelope) and the real worker and intake. Tests of the receiver
 * and the intake feed it directly and read back what was stored and what reached the sink.
 */
export interface IntakeRig {
  intake: RelayIntake;
  store: SqliteStore;
  worker: DeliveryWorker;
  /** The envelopes the file sink has written, parsed, in order. */
  delivered(): Record<string, unknown>[];
  /** The raw lines of the file sink (the exact JSON a consumer would read). */
  deliveredLines(): string[];
  logs(): LogLine[];
  close(): Promise<void>;
}

export const FILE_SINK = 'file';

export async function startIntakeRig(
  options: {
    /** Which sinks an envelope goes to (default: the file sink, for every envelope). */
    route?: (envelope: Envelope) => readonly string[];
    /** More sinks beside the file sink. */
    sinks?: readonly Sink[];
    concurrency?: number;
  } = {},
): Promise<IntakeRig> {
  const dir = tempDir('intake-rig-');
  const store = SqliteStore.open(join(dir.path, 'relay.sqlite'));
  await store.warmUp();
  const captured = captureLogs('debug');
  const file = await fileSinkKind.create(
    { path: 'events.jsonl', fsync: false },
    { name: FILE_SINK, logger: captured.logger, dataDir: dir.path },
  );
  const retry = { scheduleSeconds: [5, 30], jitter: 0 };
  const sinks: WorkerSink[] = [file, ...(options.sinks ?? [])].map((sink) => ({
    sink,
    retry,
    concurrency: options.concurrency ?? 4,
  }));
  const worker = new DeliveryWorker({ store, sinks, logger: captured.logger, metrics: createMetrics() });
  worker.start();
  const intake = createIntake({
    store,
    route: options.route ?? (() => [FILE_SINK]),
    worker,
    logger: captured.logger,
  });
  const deliveredLines = (): string[] => {
    try {
      return readFileSync(join(dir.path, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  return {
    intake,
    store,
    worker,
    deliveredLines,
    delivered: () => deliveredLines().map((line) => JSON.parse(line) as Record<string, unknown>),
    logs: () => captured.lines,
    close: async () => {
      await worker.stop(1000);
      await store.close();
      dir.cleanup();
    },
  };
}
