import type { Metrics } from '../observability/metrics.js';
import type { EventLog } from './store.js';

/**
 * The store's event write, timed: how long each event waits until its group commit is durable (the
 * 204 waits as long). Only completed writes are observed; reads pass through.
 */
export function timedWrites(store: EventLog, metrics: Metrics): EventLog {
  return {
    sharedByReplicas: store.sharedByReplicas,
    async insertEvent(envelope, deliveries) {
      const durable = metrics.storeCommit.startTimer();
      const result = await store.insertEvent(envelope, deliveries);
      durable();
      return result;
    },
    readEventsAfter: (afterSeq, limit) => store.readEventsAfter(afterSeq, limit),
    latestSeq: () => store.latestSeq(),
  };
}
