import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Sink } from '../sinks/sink.js';
import type { Store } from '../store/store.js';
import type { RetryPolicy } from './retry-schedule.js';
import { SinkLane } from './sink-lane.js';

export interface WorkerSink {
  sink: Sink;
  retry: RetryPolicy;
  concurrency: number;
}

export interface WorkerOptions {
  store: Store;
  sinks: readonly WorkerSink[];
  logger: Logger;
  metrics: Metrics;
  /** Lease on a claimed delivery (default 60 s; must exceed any sink timeout). */
  leaseMs?: number;
  pollMs?: number;
  now?: () => number;
}

/** Runs one lane per sink and wakes the right lanes when the receiver stores an event. */
export class DeliveryWorker {
  private readonly lanes = new Map<string, SinkLane>();

  constructor(private readonly options: WorkerOptions) {
    for (const { sink, retry, concurrency } of options.sinks) {
      this.lanes.set(
        sink.name,
        new SinkLane({
          sink,
          store: options.store,
          retry,
          concurrency,
          leaseMs: options.leaseMs ?? 60_000,
          pollMs: options.pollMs ?? 5_000,
          logger: options.logger,
          metrics: options.metrics,
          now: options.now ?? Date.now,
        }),
      );
    }
  }

  /** Resumes whatever was pending before this start (including after a crash). */
  start(): void {
    for (const lane of this.lanes.values()) lane.wake();
  }

  /** New deliveries were stored for these sinks: deliver them now rather than at the next poll. */
  notify(sinkNames: Iterable<string>): void {
    for (const name of sinkNames) this.lanes.get(name)?.wake();
  }

  /** Stops every lane (in-flight attempts get `timeoutMs` to finish), then closes the sinks. */
  async stop(timeoutMs: number): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop(timeoutMs)));
    await Promise.allSettled(this.options.sinks.map(({ sink }) => sink.close?.()));
  }
}
