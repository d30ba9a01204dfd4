import type { Metrics } from '../observability/metrics.js';
import type { EventLog } from './store.js';

/**
 * The store's event write, timed: how long each event waits until its group commit is durable (the
 * 204 waits as long). Only completed writes are observed; reads pass through.
 */
export function timedWrites(
  store: EventLog,
  metrics: Metrics,
  /** Told each completed write's duration (ms) and whether it stored a new event (the Health charts). */
  onDurable?: (ms: number, stored: boolean) => void,
): EventLog {
  return {
    sharedByReplicas: store.sharedByReplicas,
    async insertEvent(envelope, deliveries) {
      const durable = metrics.storeCommit.startTimer();
      const result = await store.insertEvent(envelope, deliveries);
      const seconds = durable();
      onDurable?.(seconds * 1000, result.outcome === 'stored');
      return result;
    },
    readEventsAfter: (afterSeq, limit) => store.readEventsAfter(afterSeq, limit),
    latestSeq: () => store.latestSeq(),
  };
}
