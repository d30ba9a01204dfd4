/** One job's outcome inside a shared transaction. */
export type JobOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/** Committed batches that may wait for the disk at once (see GroupCommit). */
const MAX_BATCHES_AWAITING_DISK = 2;

interface Entry<Job, Result> {
  job: Job;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects writes and runs them in a single transaction: one disk flush for a burst of concurrent
 * requests and delivery updates instead of one each. `commitBatch` reports each job's own outcome,
 * so one failing job does not fail the others; if the commit itself fails, every job in the batch is
 * rejected. Callers' promises settle only once `durable()` — called after the commit — has resolved,
 * i.e. once the transaction is on disk; if it rejects, every job of the batch is rejected.
 *
 * Pipelined, two batches deep: one batch waits for its flush while the next commits (the commit's
 * CPU overlaps the disk's flush) and starts its own flush at once; anything arriving meanwhile only
 * collects, and commits when the older flush ends. Committing more often than that costs more than
 * it saves: every commit rewrites the busy pages into the WAL, so at the disk's pace batches grow
 * with the load instead.
 */
export class GroupCommit<Job, Result> {
  private queue: Entry<Job, Result>[] = [];
  private scheduled = false;
  private readonly settling = new Set<Promise<void>>();

  constructor(
    private readonly commitBatch: (jobs: Job[]) => JobOutcome<Result>[],
    private readonly durable: (() => Promise<void>) | undefined = undefined,
  ) {}

  submit(job: Job): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.scheduled && this.settling.size < MAX_BATCHES_AWAITING_DISK) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is queued now; the callers hear about it once it is durable. */
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
    if (!this.durable) {
      batch.forEach((entry, index) => settleOne(entry, outcomes[index] as JobOutcome<Result>));
      return;
    }
    const settle = this.durable().then(
      () => batch.forEach((entry, index) => settleOne(entry, outcomes[index] as JobOutcome<Result>)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
    this.settling.add(settle);
    void settle.finally(() => {
      this.settling.delete(settle);
      // What arrived while the disk was busy commits now, as one batch.
      if (this.queue.length > 0 && !this.scheduled) this.flush();
    });
  }

  /** Commits what is queued and waits until every batch has settled (used on close). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.settling.size > 0) {
      this.flush();
      await Promise.allSettled([...this.settling]);
    }
  }
}

function settleOne<Job, Result>(entry: Entry<Job, Result>, outcome: JobOutcome<Result>): void {
  if (outcome.ok) entry.resolve(outcome.value);
  else entry.reject(outcome.error);
}
