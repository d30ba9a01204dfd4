import type Database from 'better-sqlite3';
import type { JobOutcome } from './group-commit.js';

/** One write of a group commit: runs inside the batch's transaction and only touches the database. */
export type WriteJob = () => unknown;

/**
 * Runs a batch of jobs as one transaction. The batch first runs as a plain transaction (jobs almost
 * never fail). If one throws, the whole transaction rolls back and the batch runs again with each
 * job in its own savepoint (a nested better-sqlite3 transaction), so the failing job rolls back
 * alone and the rest commit together. Jobs only touch the database, so running one twice is harmless.
 */
/** State kept outside the database that must follow the transaction (the message-id index). */
export interface TransactionJournal {
  begin(): void;
  commit(): void;
  rollback(): void;
}

/** Several journals that follow one transaction together. */
export function combineJournals(...journals: TransactionJournal[]): TransactionJournal {
  return {
    begin: () => journals.forEach((journal) => journal.begin()),
    commit: () => journals.forEach((journal) => journal.commit()),
    rollback: () => journals.forEach((journal) => journal.rollback()),
  };
}

export function batchTransaction(
  db: Database.Database,
  journal: TransactionJournal,
): (jobs: WriteJob[]) => JobOutcome<unknown>[] {
  const plain = db.transaction((jobs: WriteJob[]): JobOutcome<unknown>[] =>
    jobs.map((job) => ({ ok: true, value: job() })),
  );
  const savepoint = db.transaction((job: WriteJob) => job());
  const isolated = db.transaction((jobs: WriteJob[]): JobOutcome<unknown>[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: savepoint(job) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  const journaled = (run: (jobs: WriteJob[]) => JobOutcome<unknown>[], jobs: WriteJob[]) => {
    journal.begin();
    try {
      const outcomes = run(jobs);
      journal.commit();
      return outcomes;
    } catch (error) {
      journal.rollback();
      throw error;
    }
  };
  return (jobs) => {
    try {
      return journaled(plain, jobs);
    } catch {
      return journaled(isolated, jobs);
    }
  };
}
