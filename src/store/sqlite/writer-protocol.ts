import type { WriteOpName } from './write-ops.js';

/**
 * The messages between the serving thread and the writer thread (writer-thread.ts). Calls and
 * results travel in batches, one message per turn of either event loop, so a burst of requests
 * costs one postMessage each way rather than one per event.
 */
export type WriterCall =
  | [id: number, kind: 'op', op: WriteOpName, args: readonly unknown[]]
  | [id: number, kind: 'loadIds' | 'checkLock' | 'close']
  | [id: number, kind: 'findSeq', messageId: string];

export type WriterResult = [id: number, ok: true, value: unknown] | [id: number, ok: false, error: ErrorData];

/** An error as plain data: SQLite's `code` (SQLITE_FULL, SQLITE_READONLY, …) is what readiness reads. */
export interface ErrorData {
  name: string;
  message: string;
  code: string | undefined;
}

export function errorData(error: unknown): ErrorData {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined };
  }
  return { name: 'Error', message: String(error), code: undefined };
}

/** The writer thread's error, rebuilt on the serving thread with its name, message and code. */
export class WriterError extends Error {
  readonly code: string | undefined;

  constructor(data: ErrorData) {
    super(data.message);
    this.name = data.name;
    this.code = data.code;
  }
}
