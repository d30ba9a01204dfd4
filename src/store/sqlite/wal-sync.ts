import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The WAL could not be flushed: what was committed since the last flush may not survive power loss. */
export class WalSyncError extends Error {
  constructor(walPath: string, cause: unknown) {
    super(
      `could not flush ${walPath} to disk (${cause instanceof Error ? cause.message : String(cause)}): ` +
        'events are no longer acknowledged. Check the disk (dmesg, df -h), then restart the relay; ' +
        'SQLite recovers every committed transaction from the WAL.',
      { cause },
    );
  }
}

/**
 * Makes committed SQLite transactions durable without blocking the event loop. The store commits
 * with `synchronous = NORMAL` (COMMIT writes the WAL but does not wait for the disk), then asks for
 * `sync()`: an fdatasync of the WAL file on libuv's thread pool. Nothing is acknowledged before the
 * sync that started after its commit has finished — the same guarantee as `synchronous = FULL`,
 * while the main thread keeps reading and verifying the next requests during the 1–4 ms the disk
 * takes. Concurrent callers share one fdatasync; a caller that arrives while one is running waits
 * for the next (the running one may have started before its commit).
 *
 * Once a flush fails, every later sync fails too: after an fsync error Linux may have dropped the
 * dirty pages, so a later "successful" fsync would prove nothing ("fsyncgate").
 */
export class WalSync {
  private handle: Promise<FileHandle> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private failure: WalSyncError | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once every transaction committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.running) return (this.running = this.flush());
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return (this.running = this.flush());
      });
    return this.next;
  }

  private flush(): Promise<void> {
    const run: Promise<void> = this.flushOnce().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    return run;
  }

  private async flushOnce(): Promise<void> {
    if (this.failure) throw this.failure;
    try {
      this.handle ??= this.openWal();
      await (await this.handle).datasync();
    } catch (error) {
      this.failure = new WalSyncError(this.walPath, error);
      throw this.failure;
    }
  }

  /** Opens the WAL once; its directory entry is flushed too, so the file itself survives a crash. */
  private async openWal(): Promise<FileHandle> {
    const handle = await open(this.walPath, 'r+');
    const directory = await open(dirname(this.walPath), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return handle;
  }

  /** Waits for a running flush, then closes the file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.next, this.running]);
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close().catch(() => undefined);
  }
}
