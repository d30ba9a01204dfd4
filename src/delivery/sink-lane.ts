import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { DeliveryError, type Sink } from '../sinks/sink.js';
import type { ClaimedDelivery, ClaimSlots, DeliveryQueue } from '../store/store.js';
import { AttemptDeadlines } from './attempt-deadline.js';
import { nextRetryAt, type RetryPolicy } from './retry-schedule.js';
import { SinkHealth, type SinkHealthSnapshot } from './sink-health.js';

export interface LaneOptions {
  sink: Sink;
  store: DeliveryQueue;
  retry: RetryPolicy;
  concurrency: number;
  /** How long a claimed delivery stays ours; longer than `attemptTimeoutMs` plus recording. */
  leaseMs: number;
  /** Each attempt is aborted (and counted as failed) after this long. */
  attemptTimeoutMs: number;
  /** Safety-net poll for work another replica created or a lease that expired. */
  pollMs: number;
  logger: Logger;
  metrics: Metrics;
  /** The clock for due times, attempt times and the retry schedule (injectable for tests). */
  now: () => number;
  /** Jitter source for the retry schedule. */
  random: () => number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Delivers one sink's pending deliveries with bounded concurrency. Woken at once when an event is
 * stored for it; otherwise sleeps until its next due retry (no busy-waiting). Each sink has its own
 * lane, so a slow or dead sink only ever delays itself.
 */
export class SinkLane {
  private inFlight = 0;
  /** Slots promised to deliveries being claimed at insert (see reserve). */
  private reserved = 0;
  private pumping = false;
  private pumpAgain = false;
  /**
   * False once a claim came back short with no wake since: then a finished attempt does not query
   * the store for more (deliveries claimed at insert keep the lane busy without any claim query).
   */
  private mayHaveWork = true;
  private wakes = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private disabledReason: string | undefined;
  private readonly controller = new AbortController();
  private readonly settled = new Set<Promise<void>>();
  private readonly health = new SinkHealth();

  /** This lane's metric series, bound once (label lookups per delivery add up at thousands a second). */
  private readonly duration;
  private readonly delivered;
  private readonly deadlines: AttemptDeadlines;

  constructor(private readonly options: LaneOptions) {
    this.deadlines = new AttemptDeadlines(
      options.attemptTimeoutMs,
      this.controller.signal,
      options.concurrency,
    );
    this.duration = options.metrics.deliveryDuration.labels(options.sink.name);
    this.delivered = options.metrics.deliveries.labels(options.sink.name, 'delivered');
  }

  get name(): string {
    return this.options.sink.name;
  }

  /** The latest outcome, the last error and the last hour's counts (for the dashboard). */
  healthSnapshot(): SinkHealthSnapshot {
    return this.health.snapshot(this.options.now());
  }

  /**
   * There may be due deliveries nobody has claimed (stored while the lane was full, a retry that
   * came due, work another replica left): claims and starts as many as concurrency allows. Safe to
   * call any time.
   */
  wake(): void {
    this.wakes++;
    this.mayHaveWork = true;
    this.pumpSoon();
  }

  private pumpSoon(): void {
    if (this.stopped || this.disabledReason) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.pumpSoon();
      }
    });
  }

  /**
   * Promises a slot to a delivery that the receiver is about to store already claimed (the hot path:
   * no claim query, no reading the event back). False when the lane is full, disabled or stopping:
   * the delivery is then stored unclaimed and the lane picks it up by claiming.
   */
  reserve(): boolean {
    if (this.stopped || this.disabledReason) return false;
    if (this.inFlight + this.reserved >= this.options.concurrency) return false;
    this.reserved++;
    return true;
  }

  /**
   * Ends a reservation: attempts `delivery` (claimed at insert) or, when there is none (a duplicate,
   * a failed insert), frees the slot. A lane that stopped or was disabled meanwhile leaves the
   * delivery to its lease, as for any claim it did not get to.
   */
  startReserved(delivery: ClaimedDelivery | undefined): void {
    this.reserved--;
    if (delivery && !this.stopped && !this.disabledReason) this.start(delivery);
    else if (this.mayHaveWork) this.pumpSoon();
  }

  private async pump(): Promise<void> {
    const { store, concurrency, leaseMs, logger } = this.options;
    try {
      while (!this.stopped && !this.disabledReason && this.busySlots() < concurrency) {
        // The free slots are counted when the claim runs, and what it leased is held from then on:
        // deliveries claimed at insert meanwhile cannot push the lane past its concurrency, and
        // none finds the lane full because of slots this claim only might have used.
        const wakesBefore = this.wakes;
        let held = 0;
        let offered = 0;
        const slots: ClaimSlots = {
          free: () => (offered = concurrency - (this.busySlots() - held)),
          hold: (count) => {
            this.reserved += count - held;
            held = count;
          },
        };
        let batch: ClaimedDelivery[];
        try {
          batch = await store.claimDue(this.name, new Date(this.options.now()), slots, leaseMs);
        } finally {
          this.reserved -= held;
        }
        // Claimed means leased to us: every one is attempted, even if the lane stopped meanwhile
        // (stop waits for attempts in flight).
        for (const delivery of batch) this.start(delivery);
        // No free slot when the claim ran: the work is still there, and a slot that frees pumps again.
        if (offered <= 0) break;
        if (batch.length < offered) {
          if (this.wakes === wakesBefore) this.mayHaveWork = false;
          break;
        }
      }
      await this.scheduleNextWake();
    } catch (error) {
      logger.error(
        { err: error, sink: this.name },
        'could not read deliveries from the store; retrying shortly',
      );
      this.setTimer(this.options.pollMs);
    }
  }

  private busySlots(): number {
    return this.inFlight + this.reserved;
  }

  private start(delivery: ClaimedDelivery): void {
    this.inFlight++;
    // The slot is the sink's: it is free again once the sink has answered, while the outcome is
    // still being recorded (the delivery stays leased until then, so nobody else claims it).
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (this.mayHaveWork) this.pumpSoon();
    };
    const run = this.attempt(delivery, release)
      .catch((error) => {
        // The store could not record the outcome: the lease expires and the delivery is tried again.
        this.options.logger.error({ err: error, sink: this.name }, 'could not record a delivery attempt');
      })
      .finally(() => {
        release();
        this.settled.delete(run);
      });
    this.settled.add(run);
  }

  private async attempt(delivery: ClaimedDelivery, release: () => void): Promise<void> {
    const { sink, store, logger } = this.options;
    const startedAt = new Date(this.options.now());
    const timer = this.duration.startTimer();
    try {
      await this.deadlines.run((signal) => sink.deliver(delivery.envelope, signal));
    } catch (error) {
      timer();
      release();
      return this.recordFailure(delivery, startedAt, error);
    }
    timer();
    release();
    const recorded = await store.recordSuccess(delivery, {
      startedAt,
      finishedAt: new Date(this.options.now()),
    });
    if (!recorded) return this.claimLost(delivery, 'delivered');
    this.delivered.inc();
    if (this.health.success(this.options.now())) await this.retryBacklogNow();
    if (logger.isLevelEnabled('debug'))
      logger.debug({ sink: this.name, messageId: delivery.envelope.id }, 'delivered');
  }

  private async recordFailure(delivery: ClaimedDelivery, startedAt: Date, error: unknown): Promise<void> {
    const { store, logger, metrics, retry } = this.options;
    const hints = error instanceof DeliveryError ? error.hints : {};
    const reason = error instanceof Error ? error.message : String(error);
    const attempts = delivery.attempts + 1;
    const now = this.options.now();
    // Kept pending while the sink is disabled (410): nothing is lost, and a restart delivers it.
    const next = hints.gone
      ? new Date(now)
      : nextRetryAt(retry, attempts, now, hints.retryAfterMs, this.options.random);
    // Disabled before the write is even issued: the failure makes the delivery due at once, and the
    // store lets later claims see it while this write still waits for its disk flush.
    if (hints.gone) this.disabledReason = reason;
    const recorded = await store.recordFailure(
      delivery,
      {
        startedAt,
        finishedAt: new Date(now),
        error: reason,
        ...(hints.response && { response: hints.response }),
      },
      next,
    );
    if (!recorded) return this.claimLost(delivery, `failed (${reason})`);
    this.health.failure(now, reason);
    if (hints.gone) this.health.disabled(reason);

    const context = {
      sink: this.name,
      messageId: delivery.envelope.id,
      type: delivery.envelope.type,
      attempts,
      reason,
    };
    if (hints.gone) {
      logger.error(
        context,
        `sink ${this.name} disabled: ${reason}. Its deliveries stay pending; fix the sink config and restart, ` +
          'then they are delivered (or `eventsub-relay events replay` them).',
      );
      metrics.deliveries.inc({ sink: this.name, result: 'disabled' });
    } else if (next === null) {
      logger.error(
        context,
        `delivery dead after ${attempts} attempts; replay it with \`eventsub-relay events replay ${delivery.envelope.id}\``,
      );
      metrics.deliveries.inc({ sink: this.name, result: 'dead' });
    } else {
      logger.warn(
        { ...context, nextAttemptAt: next.toISOString() },
        `delivery to ${this.name} failed (${reason}); will retry`,
      );
      metrics.deliveries.inc({ sink: this.name, result: 'retry' });
      // The retry is work for later: the next pump sets the timer for when it is due.
      this.wake();
    }
  }

  /**
   * The sink answered again after failing: its pending backlog is due now, in the order the events
   * arrived, instead of each delivery waiting out its own retry step (a bot down for 15 minutes
   * would otherwise get its backlog up to 30 minutes late).
   */
  private async retryBacklogNow(): Promise<void> {
    try {
      const moved = await this.options.store.retryPendingNow(this.name, new Date(this.options.now()));
      if (moved > 0)
        this.options.logger.info(
          { sink: this.name, deliveries: moved },
          `sink ${this.name} answers again; its pending deliveries are sent now, in order`,
        );
    } catch (error) {
      // They keep their retry times: delivered later, nothing lost.
      this.options.logger.warn({ err: error, sink: this.name }, 'could not bring the backlog forward');
    }
    this.wake();
  }

  /** The attempt outlived its claim (the delivery was replayed or claimed again): its result is dropped. */
  private claimLost(delivery: ClaimedDelivery, outcome: string): void {
    this.options.logger.warn(
      { sink: this.name, messageId: delivery.envelope.id },
      `attempt ${outcome} after this worker lost its claim on the delivery (replayed or claimed again); ` +
        'its result was not recorded, the current claim decides',
    );
    this.options.metrics.deliveries.inc({ sink: this.name, result: 'claim_lost' });
  }

  private async scheduleNextWake(): Promise<void> {
    // While attempts are in flight, each one that finishes wakes the lane; the poll is the safety net
    // for leases another replica let expire.
    if (this.inFlight > 0) return this.setTimer(this.options.pollMs);
    const now = this.options.now();
    const due = await this.options.store.nextDueAt(this.name, new Date(now));
    const untilDue = due ? Math.max(0, due.getTime() - now) : Infinity;
    this.setTimer(Math.min(untilDue, this.options.pollMs));
  }

  private setTimer(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.min(ms, MAX_TIMER_MS));
    this.timer.unref();
  }

  /** Stops claiming, waits up to `timeoutMs` for attempts in flight, then aborts them. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const deadline = setTimeout(() => this.controller.abort(), timeoutMs);
    await Promise.allSettled([...this.settled]);
    clearTimeout(deadline);
  }
}
