import type { Metrics } from '../observability/metrics.js';
import type { Store } from './store.js';

/**
 * The store's event write, timed: how long each event waits until its group commit is durable (the
 * 204 waits as long). Only completed writes are observed.
 */
export function timedWrites(store: Store, metrics: Metrics): Pick<Store, 'insertEvent'> {
  return {
    async insertEvent(envelope, deliveries) {
      const durable = metrics.storeCommit.startTimer();
      const result = await store.insertEvent(envelope, deliveries);
      durable();
      return result;
    },
  };
}
