import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies what the WAL gained into the database. */
const CHECKPOINT_INTERVAL_MS = 200;

/**
 * Checkpoints the WAL from a worker thread with its own connection, so the serving thread never
 * stops answering /callback while megabytes are copied into the database and synced (SQLite's
 * automatic checkpoint runs inside the COMMIT that crosses the threshold, on the event loop).
 * PASSIVE checkpoints take no lock a writer needs; whenever one has caught up with the WAL, the
 * next write starts the WAL from its beginning again. The store keeps a large automatic
 * checkpoint as a safety net in case this thread falls behind.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private lastError: string | undefined;

  constructor(databasePath: string, onError: (message: string) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // Evaluated code rather than a file, so it runs the same from dist/ and under ts-jest.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path: databasePath, intervalMs: CHECKPOINT_INTERVAL_MS },
    });
    this.worker.unref();
    this.worker.on('message', (message: { error: string }) => {
      // One line per new kind of failure: a checkpoint that cannot run is retried every interval.
      if (message.error !== this.lastError) onError(message.error);
      this.lastError = message.error;
    });
    this.worker.on('error', (error) => onError(error.message));
  }

  /** Stops the worker and closes its connection (before the store closes its own). */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Referenced again while it winds down: an unreferenced worker would let the process end
    // (exit code 0) while the caller still awaits this.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
