/** Login attempts one client address may make per window. */
export const LOGIN_ATTEMPTS_PER_WINDOW = 5;
export const LOGIN_WINDOW_MS = 60_000;
/** Addresses tracked at most; the one seen longest ago is forgotten first. */
const MAX_ADDRESSES = 10_000;

/**
 * A sliding window of attempts per client address: the sixth attempt inside a minute is refused
 * until the oldest one leaves the window. Guessing a 256-bit token is hopeless anyway; this keeps a
 * weak DASHBOARD_TOKEN from being guessed quickly, and the log quiet.
 */
export class LoginLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit = LOGIN_ATTEMPTS_PER_WINDOW,
    private readonly windowMs = LOGIN_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt; returns the seconds to wait when it is one too many (nothing counted then). */
  attempt(address: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    const recent = (this.attempts.get(address) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.remember(address, recent);
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000)),
      };
    }
    recent.push(now);
    this.remember(address, recent);
    return { allowed: true };
  }

  private remember(address: string, recent: number[]): void {
    this.attempts.delete(address);
    this.attempts.set(address, recent);
    if (this.attempts.size > MAX_ADDRESSES) this.attempts.delete(this.attempts.keys().next().value as string);
  }
}
