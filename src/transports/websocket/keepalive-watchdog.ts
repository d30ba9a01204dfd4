/**
 * Twitch: "If your client doesn't receive an event or keepalive message for longer than
 * keepalive_timeout_seconds, you should assume the connection is lost … The keepalive timer is
 * reset with each notification or keepalive message." Pings do not reset it (they are frames the
 * ws library answers by itself). The grace on top covers the network's jitter: Twitch sends the
 * keepalive when the window ends, so it may arrive a little after it.
 */
export class KeepaliveWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private windowMs = 0;

  constructor(
    private readonly onSilence: (silentForMs: number) => void,
    private readonly graceMs: (windowMs: number) => number = defaultGrace,
  ) {}

  /** Arms the watchdog for a window of `seconds` (from the welcome) and starts counting now. */
  start(seconds: number): void {
    this.windowMs = seconds * 1000;
    this.touch();
  }

  /** A notification or keepalive arrived: the connection is alive, count again. */
  touch(): void {
    if (this.windowMs === 0) return;
    clearTimeout(this.timer);
    const limit = this.windowMs + this.graceMs(this.windowMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onSilence(limit);
    }, limit);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.windowMs = 0;
  }
}

/** 20 % of the window, at least one second. */
function defaultGrace(windowMs: number): number {
  return Math.max(1000, windowMs * 0.2);
}
