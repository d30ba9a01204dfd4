import { parentPort, workerData } from 'node:worker_threads';
import { SqliteWriter } from './sqlite-writer.js';
import {
  decodeCalls,
  encodeInsertResult,
  encodeResults,
  errorData,
  type WriterResult,
} from './writer-protocol.js';
import type { InsertResult } from '../store.js';

/**
 * The writer thread: the store's one writing connection with its group commit and WAL fdatasync,
 * off the serving thread (which keeps a connection of its own for reads; WAL lets it read while
 * this one writes). It answers every call once the write is durable, in batches.
 */
const port = parentPort!;
const writer = SqliteWriter.openFile((workerData as { path: string }).path);
let outbox: WriterResult[] = [];

function answer(result: WriterResult): void {
  if (outbox.push(result) === 1) {
    setImmediate(() => {
      const results = outbox;
      outbox = [];
      port.postMessage(encodeResults(results));
    });
  }
}

function settle(id: number, work: () => unknown): void {
  let value: unknown;
  try {
    value = work();
  } catch (error) {
    answer([id, false, errorData(error)]);
    return;
  }
  if (value instanceof Promise) {
    value.then(
      (resolved: unknown) => answer([id, true, resolved]),
      (error: unknown) => answer([id, false, errorData(error)]),
    );
  } else {
    answer([id, true, value]);
  }
}

port.on('message', (wire: unknown[]) => {
  for (const call of decodeCalls(wire)) {
    const id = call[0];
    switch (call[1]) {
      case 'op':
        if (call[2] === 'insert') {
          settle(id, () =>
            writer.run('insert', call[3]).then((result) => encodeInsertResult(result as InsertResult)),
          );
        } else {
          settle(id, () => writer.run(call[2], call[3]));
        }
        break;
      case 'loadIds':
        settle(id, () => writer.loadIds());
        break;
      case 'findSeq':
        settle(id, () => writer.findSeq(call[2]));
        break;
      case 'checkLock':
        settle(id, () => writer.checkLock());
        break;
      case 'close':
        settle(id, () => writer.close());
        break;
    }
  }
});
