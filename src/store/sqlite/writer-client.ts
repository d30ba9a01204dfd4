import { Worker } from 'node:worker_threads';
import type { SqliteWriter } from './sqlite-writer.js';
import type { NewDelivery } from '../store.js';
import {
  decodeInsertResult,
  encodeCalls,
  WriterError,
  type ErrorData,
  type WriterCall,
} from './writer-protocol.js';
import type { WriteOpName } from './write-ops.js';

/** The store's view of its writer, wherever it runs. */
export interface Writer {
  run(op: WriteOpName, args: readonly unknown[]): Promise<unknown>;
  loadIds(): Promise<void>;
  findSeq(id: string): Promise<number | undefined>;
  checkLock(): Promise<void>;
  /** Waits until every write is durable and stops the writer. */
  close(): Promise<void>;
}

/** The writer on the caller's own thread (a database in memory, which no other thread can open). */
export function inThreadWriter(writer: SqliteWriter): Writer {
  return {
    run: (op, args) => writer.run(op, args),
    loadIds: async () => writer.loadIds(),
    findSeq: async (id) => writer.findSeq(id),
    checkLock: async () => writer.checkLock(),
    close: () => writer.drain(),
  };
}

/**
 * The writer thread's file: beside this one once built. Run from the sources (ts-jest), the built
 * copy in dist/ is used, so `npm run build` comes before the tests.
 */
function writerThreadUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return new URL(here.replace(/\/src\/([^]*)\/[^/]+\.ts$/, '/dist/$1/writer-thread.js'));
  return new URL('./writer-thread.js', here);
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** For an insert: how many deliveries it has (its answer on the wire is the seq alone). */
  deliveries: number;
}

/** The thread stopped (crashed, or could not open the file): no write can be acknowledged any more. */
export class WriterStoppedError extends Error {
  constructor(reason: string) {
    super(
      `the SQLite writer thread stopped (${reason}): events are no longer acknowledged; restart the relay`,
    );
  }
}

/**
 * The writer on a thread of its own (writer-thread.ts), so the SQLite work and the WAL's fdatasync
 * of every write leave the serving thread. Calls made in one turn of the event loop go over in one
 * message; answers come back the same way. The thread is started on first use (a command that only
 * reads never starts it) and keeps the process alive only while calls are pending.
 */
export class WorkerWriter implements Writer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: WriterCall[] = [];
  private stopped: WriterStoppedError | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly path: string) {}

  run(op: WriteOpName, args: readonly unknown[]): Promise<unknown> {
    const deliveries = op === 'insert' ? (args[1] as readonly NewDelivery[]).length : -1;
    return this.call((id) => [id, 'op', op, args], deliveries);
  }

  async loadIds(): Promise<void> {
    await this.call((id) => [id, 'loadIds']);
  }

  findSeq(id: string): Promise<number | undefined> {
    return this.call((callId) => [callId, 'findSeq', id]) as Promise<number | undefined>;
  }

  async checkLock(): Promise<void> {
    await this.call((id) => [id, 'checkLock']);
  }

  async close(): Promise<void> {
    if (!this.worker) return;
    try {
      if (!this.stopped) await this.call((id) => [id, 'close']);
    } finally {
      const worker = this.worker;
      await worker.terminate();
      await this.exited;
    }
  }

  private call(make: (id: number) => WriterCall, deliveries = -1): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, deliveries });
      if (this.pending.size === 1) worker.ref();
      if (this.queue.push(make(id)) === 1) setImmediate(() => this.send());
    });
  }

  private send(): void {
    const calls = this.queue;
    this.queue = [];
    if (this.worker && !this.stopped) this.worker.postMessage(encodeCalls(calls));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(writerThreadUrl(), { workerData: { path: this.path } });
    worker.unref();
    worker.on('message', (wire: unknown[]) => {
      for (let at = 0; at < wire.length; at += 3) {
        const id = wire[at] as number;
        const entry = this.pending.get(id);
        if (!entry) continue;
        this.pending.delete(id);
        const value = wire[at + 2];
        if (wire[at + 1] === 0) entry.reject(new WriterError(value as ErrorData));
        else if (entry.deliveries >= 0) entry.resolve(decodeInsertResult(value as number, entry.deliveries));
        else entry.resolve(value);
      }
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.fail(error.message));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.fail(`exit code ${code}`);
        resolve();
      }),
    );
    this.worker = worker;
    return worker;
  }

  /** Every pending and later call fails: nothing it was asked to write may be acknowledged. */
  private fail(reason: string): void {
    this.stopped ??= new WriterStoppedError(reason);
    for (const entry of this.pending.values()) entry.reject(this.stopped);
    this.pending.clear();
    this.queue = [];
  }
}
