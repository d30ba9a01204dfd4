import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { defineSinkKind, type Sink } from './sink.js';

const optionsSchema = z.object({
  /** Relative paths are inside DATA_DIR. */
  path: z.string().min(1),
  /** fdatasync after each line: a delivery is marked done only once the line is on disk. */
  fsync: z.boolean().default(true),
});

/**
 * Appends one JSON line per envelope to a file created with mode 0600. A crash mid-write can leave
 * a partial last line; on open we end it with a newline so every later line still parses, and the
 * interrupted envelope is written again because its delivery was never marked done.
 */
class FileSink implements Sink {
  private handle: Promise<FileHandle> | undefined;

  constructor(
    readonly name: string,
    private readonly path: string,
    private readonly fsync: boolean,
  ) {}

  private openOnce(): Promise<FileHandle> {
    this.handle ??= (async () => {
      const handle = await open(this.path, 'a+', 0o600);
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) await handle.appendFile('\n');
      }
      return handle;
    })();
    return this.handle;
  }

  async deliver(envelope: object): Promise<void> {
    const handle = await this.openOnce();
    await handle.appendFile(JSON.stringify(envelope) + '\n');
    if (this.fsync) await handle.datasync();
  }

  async close(): Promise<void> {
    if (this.handle) await (await this.handle).close();
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
    ),
});
