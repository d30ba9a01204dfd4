/** How one sink has been doing: what the Sinks page and the admin API show. */
export interface SinkHealthSnapshot {
  /** The outcome of the latest attempt; null before the first one since start. */
  lastOutcome: 'success' | 'failure' | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  /** Attempts over the last hour (this process), by outcome. */
  succeededLastHour: number;
  failedLastHour: number;
  /** Set when the sink was disabled (HTTP 410): nothing is attempted until a restart. */
  disabledReason: string | null;
}

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 60;

/**
 * Outcomes of one sink's attempts in this process: the latest, and counts per minute over the last
 * hour (60 buckets, so memory stays flat however many attempts there are).
 */
export class SinkHealth {
  private lastOutcome: SinkHealthSnapshot['lastOutcome'] = null;
  private lastSuccessAt: number | null = null;
  private lastErrorAt: number | null = null;
  private lastError: string | null = null;
  private disabledReason: string | null = null;
  private readonly buckets = Array.from({ length: WINDOW_MINUTES }, () => ({ minute: -1, ok: 0, failed: 0 }));

  /** Records a success; true when the attempt before it had failed (the sink just came back). */
  success(now: number): boolean {
    const recovered = this.lastOutcome === 'failure';
    this.lastOutcome = 'success';
    this.lastSuccessAt = now;
    this.bucket(now).ok++;
    return recovered;
  }

  failure(now: number, error: string): void {
    this.lastOutcome = 'failure';
    this.lastErrorAt = now;
    this.lastError = error;
    this.bucket(now).failed++;
  }

  disabled(reason: string): void {
    this.disabledReason = reason;
  }

  snapshot(now: number): SinkHealthSnapshot {
    const since = Math.floor(now / MINUTE_MS) - WINDOW_MINUTES;
    let ok = 0;
    let failed = 0;
    for (const bucket of this.buckets)
      if (bucket.minute > since) {
        ok += bucket.ok;
        failed += bucket.failed;
      }
    const at = (ms: number | null) => (ms === null ? null : new Date(ms));
    return {
      lastOutcome: this.lastOutcome,
      lastSuccessAt: at(this.lastSuccessAt),
      lastErrorAt: at(this.lastErrorAt),
      lastError: this.lastError,
      succeededLastHour: ok,
      failedLastHour: failed,
      disabledReason: this.disabledReason,
    };
  }

  private bucket(now: number) {
    const minute = Math.floor(now / MINUTE_MS);
    const bucket = this.buckets[minute % WINDOW_MINUTES]!;
    if (bucket.minute !== minute) Object.assign(bucket, { minute, ok: 0, failed: 0 });
    return bucket;
  }
}
