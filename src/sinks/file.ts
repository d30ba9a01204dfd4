import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import { defineSinkKind, type Sink } from './sink.js';
import { envelopeToJson } from '../twitch/envelope-json.js';
import type { Envelope } from '../twitch/envelope.js';

const optionsSchema = z.strictObject({
  /** Relative paths are inside DATA_DIR. */
  path: z.string().min(1),
  /** fdatasync after each line: a delivery is marked done only once the line is on disk. */
  fsync: z.boolean().default(true),
});

const NEWLINE = 0x0a;

/** Size of the file up to and including its last newline (0 when it has none). */
async function endOfLastLine(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const index = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (index !== -1) return start + index + 1;
    end = start;
  }
  return 0;
}

/**
 * Appends one JSON line per envelope to a file kept at mode 0600 (an existing file with wider
 * permissions is narrowed, with a warning: events can hold personal data). Safe across restarts: a
 * crash mid-write can leave a partial last line, which is cut off on open (its delivery was never
 * recorded, so the envelope is written again whole), so every line in the file parses. Lines are
 * written one at a time, in order, even with several deliveries in flight.
 */
class FileSink implements Sink {
  private handle: Promise<FileHandle> | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly path: string,
    private readonly fsync: boolean,
    private readonly logger: Logger,
  ) {}

  private openOnce(): Promise<FileHandle> {
    this.handle ??= this.openFile().catch((error: unknown) => {
      this.handle = undefined; // try again on the next delivery (the attempt itself is retried)
      throw error;
    });
    return this.handle;
  }

  private async openFile(): Promise<FileHandle> {
    const handle = await open(this.path, 'a+', 0o600);
    try {
      const { mode, size } = await handle.stat();
      if ((mode & 0o777) !== 0o600) {
        await handle.chmod(0o600);
        this.logger.warn(
          { path: this.path, was: (mode & 0o777).toString(8) },
          `file sink ${this.name}: ${this.path} had mode ${(mode & 0o777).toString(8)}; set it to 600 (owner only)`,
        );
      }
      const whole = await endOfLastLine(handle, size);
      if (whole < size) {
        await handle.truncate(whole);
        if (this.fsync) await handle.datasync();
        this.logger.warn(
          { path: this.path, bytes: size - whole },
          `file sink ${this.name}: removed an unfinished last line (${size - whole} bytes) left by a crash; ` +
            'that event is written again',
        );
      }
      return handle;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async deliver(envelope: Envelope): Promise<void> {
    const line = envelopeToJson(envelope) + '\n';
    const write = this.writes.then(async () => {
      const handle = await this.openOnce();
      try {
        await handle.appendFile(line);
        if (this.fsync) await handle.datasync();
      } catch (error) {
        // A failed write (disk full, …) may have left part of the line: reopen, which cuts it off.
        this.handle = undefined;
        await handle.close().catch(() => undefined);
        throw error;
      }
    });
    this.writes = write.catch(() => undefined);
    await write;
  }

  async close(): Promise<void> {
    await this.writes;
    if (this.handle) await (await this.handle.catch(() => undefined))?.close();
  }
}

export const fileSinkKind = defineSinkKind({
  kind: 'file',
  description: 'append one JSON line per event to a file (mode 0600)',
  optionsSchema,
  secretFields: [],
  create: (options, context) =>
    new FileSink(
      context.name,
      isAbsolute(options.path) ? options.path : join(context.dataDir, options.path),
      options.fsync,
      context.logger,
    ),
});
