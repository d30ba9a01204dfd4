/** Keeping the store itself healthy: start-up work, retention, the readiness probe, closing. */
export interface StoreMaintenance {
  /**
   * Work a store does once before the serving process accepts events (SQLite: load its dedup
   * index, start checkpointing off the event loop; PostgreSQL and a store in memory: nothing).
   * Calling it again does nothing more. `onError` hears about background failures.
   */
  warmUp(onError?: (message: string) => void): Promise<void>;
  /**
   * Deletes up to `batchSize` events older than `cutoff` whose deliveries are all delivered (or that
   * have none); returns how many. One short transaction: the caller repeats while batches are full.
   * A deleted event's message id may be stored again; its seq is never handed out again.
   */
  deleteDeliveredBefore(cutoff: Date, batchSize: number): Promise<number>;
  /** Deletes up to `batchSize` old events whose deliveries are dead (none pending); returns how many. */
  deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number>;
  /**
   * Throws when the store cannot take writes (used by /readyz): it cannot take the write lock or is
   * read-only, or its last write failed (a full disk, a lost connection) and a small write of its
   * own fails too. Resolves again once a write succeeds.
   */
  checkWritable(): Promise<void>;
  /** Waits for writes under way, then releases files and connections. Later calls do nothing. */
  close(): Promise<void>;
}
