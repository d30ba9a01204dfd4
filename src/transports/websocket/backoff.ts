/**
 * Reconnect delays after a drop: exponential with "full jitter" (a random delay between 0 and
 * base × 2^failures, capped), so many relays dropped by the same Twitch incident do not all
 * come back in the same second. A session that was welcomed and subscribed resets it.
 */
export class ReconnectBackoff {
  private failures = 0;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number = baseMs * 64,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    return Math.round(this.random() * ceiling);
  }

  /** Attempts made since the last success. */
  get attempts(): number {
    return this.failures;
  }

  reset(): void {
    this.failures = 0;
  }
}
