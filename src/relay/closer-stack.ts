/**
 * The parts of a running relay, in the order they were built, each with how to stop it (what
 * `AsyncDisposableStack` does in newer runtimes; Node 20 has none). Whoever builds a part defers its
 * stop right away, so a failure at any later step, and `stop()`, both unwind exactly what exists:
 * in reverse, each part stopped once, a failing stop reported without skipping the ones below it.
 */
export class CloserStack {
  private readonly closers: { part: string; close: () => unknown }[] = [];
  private unwinding: Promise<void> | undefined;

  /** Stops `part` with `close` when the stack unwinds (before every part deferred earlier). */
  defer(part: string, close: () => unknown): void {
    if (this.unwinding) {
      throw new Error(`cannot add ${part}: the relay is already stopping`);
    }
    this.closers.push({ part, close });
  }

  /** True once `unwind` was called: parts are being (or have been) stopped. */
  get stopping(): boolean {
    return this.unwinding !== undefined;
  }

  /** Names of the parts still to stop, oldest first (for logs and tests). */
  get parts(): readonly string[] {
    return this.closers.map(({ part }) => part);
  }

  /**
   * Stops every deferred part, newest first. Resolves once all are stopped; rejects with a
   * `CloseError` listing every part whose stop failed (the others were still stopped). Calling it
   * again returns the same promise.
   */
  unwind(): Promise<void> {
    this.unwinding ??= this.closeAll();
    return this.unwinding;
  }

  private async closeAll(): Promise<void> {
    const failures: PartCloseFailure[] = [];
    for (let next = this.closers.pop(); next; next = this.closers.pop()) {
      try {
        await next.close();
      } catch (error) {
        failures.push({ part: next.part, error });
      }
    }
    if (failures.length > 0) throw new CloseError(failures);
  }
}

export interface PartCloseFailure {
  part: string;
  error: unknown;
}

/** Some parts did not stop cleanly; `failures` says which and why (`errors` holds the same errors). */
export class CloseError extends AggregateError {
  constructor(readonly failures: readonly PartCloseFailure[]) {
    super(
      failures.map(({ error }) => error),
      `stopping failed for ${failures
        .map(({ part, error }) => `${part} (${error instanceof Error ? error.message : String(error)})`)
        .join(', ')}`,
    );
    this.name = 'CloseError';
  }
}
