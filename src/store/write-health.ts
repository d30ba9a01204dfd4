/**
 * Errors that are about one write's data, not about the store: a constraint, a value the database
 * refuses (SQLite's CONSTRAINT/TOOBIG/MISMATCH/RANGE, PostgreSQL's SQLSTATE classes 22 and 23), a
 * value too deep to serialise. The next write may well succeed, so they do not make the store unready.
 */
function isAboutOneWrite(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH|RANGE)/.test(code) || /^2[23][0-9A-Z]{3}$/.test(code);
}

/**
 * How long after a failed write readiness stays 503 before /readyz tries a write of its own. On a
 * nearly full disk a small write can fit where events do not; without this pause one lucky probe
 * would turn a replica ready again between two failed events.
 */
export const PROBE_AFTER_FAILURE_MS = 5_000;

/**
 * The outcome of the store's last write, for /readyz: a full disk, a read-only file system, a lost
 * database connection make it a failure until a write succeeds again. Readiness then follows what
 * writes actually do, not only whether the write lock can be taken.
 */
export class WriteHealth {
  private failure: Error | undefined;
  private failedAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Passes the write's outcome through, recording it on the way. */
  track<T>(write: Promise<T>): Promise<T> {
    return write.then(
      (value) => {
        this.failure = undefined;
        return value;
      },
      (error: unknown) => {
        if (!isAboutOneWrite(error)) {
          this.failure = error instanceof Error ? error : new Error(String(error));
          this.failedAt = this.now();
        }
        throw error;
      },
    );
  }

  /**
   * For readiness: resolves when the last write succeeded. While it failed, throws its error for
   * PROBE_AFTER_FAILURE_MS, then runs `probe` (a small write through the store's own write path)
   * and follows its outcome, so readiness recovers even when no event arrives to tell.
   */
  async recheck(probe: () => Promise<unknown>): Promise<void> {
    if (!this.failure) return;
    if (this.now() - this.failedAt < PROBE_AFTER_FAILURE_MS) throw this.failure;
    await this.track(probe());
  }
}
