import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Sink } from '../sinks/sink.js';
import type { ClaimedDelivery, DeliveryQueue } from '../store/store.js';
import { DEFAULT_LEASE_MS, defaultAttemptDeadlineMs, leaseProblem } from './attempt-deadline.js';
import type { RetryPolicy } from './retry-schedule.js';
import { SinkLane } from './sink-lane.js';
import type { SinkHealthSnapshot } from './sink-health.js';

export interface WorkerSink {
  sink: Sink;
  retry: RetryPolicy;
  concurrency: number;
  /** Each attempt is aborted after this long (default 30 s, less under a shorter lease); must leave room inside the lease. */
  attemptTimeoutMs?: number;
}

export interface WorkerOptions {
  store: DeliveryQueue;
  sinks: readonly WorkerSink[];
  logger: Logger;
  metrics: Metrics;
  /** Lease on a claimed delivery (DELIVERY_LEASE_MS, default 60 s); every sink's attempt deadline must end well inside it. */
  leaseMs?: number;
  pollMs?: number;
  /** Clock for due times and the retry schedule (default Date.now); tests inject their own. */
  now?: () => number;
  /** Jitter source for the retry schedule (default Math.random). */
  random?: () => number;
}

/** Runs one lane per sink; the intake hands it each new event's deliveries once they are durable. */
export class DeliveryWorker {
  private readonly lanes = new Map<string, SinkLane>();

  constructor(private readonly options: WorkerOptions) {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    for (const {
      sink,
      retry,
      concurrency,
      attemptTimeoutMs = defaultAttemptDeadlineMs(leaseMs),
    } of options.sinks) {
      // Otherwise another worker could claim a delivery that is still being attempted: sent twice.
      // (The relay checks its config the same way before building any sink: leaseProblem.)
      const problem = leaseProblem(sink.name, attemptTimeoutMs, leaseMs);
      if (problem) throw new Error(problem);
      this.lanes.set(
        sink.name,
        new SinkLane({
          sink,
          store: options.store,
          retry,
          concurrency,
          leaseMs,
          attemptTimeoutMs,
          pollMs: options.pollMs ?? 5_000,
          logger: options.logger,
          metrics: options.metrics,
          now: options.now ?? Date.now,
          random: options.random ?? Math.random,
        }),
      );
    }
  }

  /** Each sink's recent outcomes (this process), by sink name. */
  health(): Map<string, SinkHealthSnapshot> {
    return new Map([...this.lanes].map(([name, lane]) => [name, lane.healthSnapshot()]));
  }

  /** Resumes whatever was pending before this start (including after a crash). */
  start(): void {
    for (const lane of this.lanes.values()) lane.wake();
  }

  /** The lease a delivery claimed at insert gets (the same as for any claim). */
  get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Of these sinks, the ones whose lane has a free slot now, each slot reserved (see SinkLane.reserve). */
  reserve(sinkNames: readonly string[]): string[] {
    return sinkNames.filter((name) => this.lanes.get(name)?.reserve() ?? false);
  }

  /** Ends the reservations of `reserved`: attempts the deliveries claimed for them, frees the rest. */
  startReserved(reserved: readonly string[], claims: readonly ClaimedDelivery[]): void {
    for (const name of reserved) {
      this.lanes.get(name)?.startReserved(claims.find((claim) => claim.sink === name));
    }
  }

  /** New deliveries were stored for these sinks (or are due now): deliver them rather than at the next poll. */
  notify(sinkNames: Iterable<string>): void {
    for (const name of sinkNames) this.lanes.get(name)?.wake();
  }

  /**
   * Stops every lane (in-flight attempts get `timeoutMs` to finish). The sinks stay open: whoever
   * created them closes them, after this.
   */
  async stop(timeoutMs: number): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop(timeoutMs)));
  }
}
