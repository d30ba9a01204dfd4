/**
 * Collects writes issued during one tick of the event loop and runs them in a single transaction:
 * one fsync for a burst of concurrent requests instead of one per request. Each caller's promise
 * settles only after that transaction has committed.
 */
export class GroupCommit<Job, Result> {
  private queue: { job: Job; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly commitBatch: (jobs: Job[]) => Result[]) {}

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
    let results: Result[];
    try {
      results = this.commitBatch(batch.map((entry) => entry.job));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => entry.resolve(results[index] as Result));
  }
}
