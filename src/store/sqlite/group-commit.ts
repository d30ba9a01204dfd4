/** One job's outcome inside a shared transaction. */
export type JobOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Collects writes issued during one tick of the event loop and runs them in a single transaction:
 * one fsync for a burst of concurrent requests and delivery updates instead of one each. Each
 * caller's promise settles only after that transaction has committed. `commitBatch` reports each
 * job's own outcome, so one failing job does not fail the others; if the commit itself fails,
 * every job in the batch is rejected (none of them is durable).
 */
export class GroupCommit<Job, Result> {
  private queue: { job: Job; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly commitBatch: (jobs: Job[]) => JobOutcome<Result>[]) {}

  submit(job: Job): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs whatever is queued now (also used on close, so nothing accepted is left behind). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: JobOutcome<Result>[];
    try {
      outcomes = this.commitBatch(batch.map((entry) => entry.job));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index] as JobOutcome<Result>;
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}
