/**
 * The one thing a store declares about itself instead of callers guessing it from STORE_URL: whether
 * other processes use the same data at the same time.
 */
export interface ReplicaSharing {
  /**
   * false (SQLite, or a store kept in memory): one process serves from this store. Every event in it
   * came through this process's intake, so whatever waits for new events is woken by that intake;
   * a lease still held at start-up was left by a process that is gone.
   *
   * true (PostgreSQL): several replicas write to it at once. Live streams must poll for events the
   * other replicas stored, and a lease may be another replica's delivery in progress.
   */
  readonly sharedByReplicas: boolean;
}
