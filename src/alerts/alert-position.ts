import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';

/** A queue's place in the event log: every event up to `after` was shown or gave no alert. */
export interface SavedPosition {
  after: number;
  /** The event alert on screen, and when it started (it resumes with the time it had left). */
  current: { seq: number; startedAt: number } | null;
}

/** Where one queue keeps its position. `save` may batch writes; `flush` writes what is pending. */
export interface AlertPosition {
  load(): SavedPosition | undefined;
  save(position: SavedPosition): void;
  flush(): void;
}

/** Writes are batched this long: a chat-heavy stream moves the position on every message. */
const WRITE_DELAY_MS = 250;

function isPosition(value: unknown): value is SavedPosition {
  if (typeof value !== 'object' || value === null) return false;
  const { after, current } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(after) || (after as number) < 0) return false;
  if (current === null) return true;
  if (typeof current !== 'object' || current === undefined) return false;
  const { seq, startedAt } = current as Record<string, unknown>;
  return Number.isSafeInteger(seq) && Number.isFinite(startedAt);
}

/**
 * The position in a small JSON file in DATA_DIR (`alerts-position-<stream>.json`, mode 0600),
 * replaced atomically (write, then rename), so a crash leaves the old position or the new one. A
 * file that cannot be read is logged and ignored: the queue then starts at the newest event.
 */
export function filePosition(dataDir: string, stream: string, logger: Logger): AlertPosition {
  const path = join(dataDir, `alerts-position-${stream}.json`);
  let pending: SavedPosition | undefined;
  let written = '';
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const text = JSON.stringify(pending);
    pending = undefined;
    if (text === written) return;
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
      written = text;
    } catch (error) {
      logger.warn(
        { err: error, path },
        'could not save the alert queue position; a restart may repeat alerts',
      );
    }
  };

  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          logger.warn(
            { err: error, path },
            'could not read the alert queue position; starting at the newest event',
          );
        return undefined;
      }
      try {
        const parsed: unknown = JSON.parse(text);
        if (isPosition(parsed)) {
          written = text;
          return parsed;
        }
      } catch {
        // reported below
      }
      logger.warn({ path }, 'the alert queue position file is not valid; starting at the newest event');
      return undefined;
    },
    save(position) {
      pending = position;
      if (timer) return;
      timer = setTimeout(flush, WRITE_DELAY_MS);
      timer.unref();
    },
    flush,
  };
}
