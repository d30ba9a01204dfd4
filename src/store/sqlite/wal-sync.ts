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
 * `sync()`: an fdatasync of the WAL file on libuv's thread pool. Nothing is acknowledged before a
 * sync that started after its commit has finished — the same guarantee as `synchronous = FULL`,
 * while the main thread keeps reading and verifying the next requests meanwhile.
 *
 * Every call starts its own fdatasync, even while another one runs: fdatasync covers whatever was
 * written before it was called, so concurrent ones are each correct, and the kernel folds them into
 * the same journal commits. Waiting for the running sync to end before starting the next (to share
 * one) cost more than the flush itself: measured with `node bench/run.mjs`, a batch then waited
 * ~2 ms where its fdatasync took ~0.3 ms, and the relay sat idle with every connection waiting.
 * GroupCommit bounds how many run at once.
 *
 * Once a flush fails, every later sync fails too: after an fsync error Linux may have dropped the
 * dirty pages, so a later "successful" fsync would prove nothing ("fsyncgate").
 */
export class WalSync {
  private handle: Promise<FileHandle> | undefined;
  private readonly running = new Set<Promise<void>>();
  private failure: WalSyncError | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once every transaction committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const run = this.flushOnce();
    this.running.add(run);
    void run.catch(() => undefined).finally(() => this.running.delete(run));
    return run;
  }

  private async flushOnce(): Promise<void> {
    if (this.failure) throw this.failure;
    try {
      this.handle ??= this.openWal();
      await (await this.handle).datasync();
    } catch (error) {
      this.failure ??= new WalSyncError(this.walPath, error);
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

  /** Waits for the running flushes, then closes the file. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close().catch(() => undefined);
  }
}
