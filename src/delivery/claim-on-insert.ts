import type { InsertOutcome, Store } from '../store/store.js';
import type { Envelope } from '../twitch/envelope.js';
import type { DeliveryWorker } from './delivery-worker.js';

/**
 * The store as the receiver sees it, with the delivery hot path folded in: the event's deliveries
 * for lanes that have a free slot are stored already claimed by this process and attempted as soon
 * as the write is durable — no claim query, no reading the event back. Deliveries for full lanes
 * are stored unclaimed and their lanes are woken to claim them as usual. Inline sinks (the log
 * sink) are stored as delivered and written once the event is durable. A duplicate claims nothing.
 */
export function claimOnInsert(store: Store, worker: DeliveryWorker) {
  return {
    async insertIfNew(envelope: Envelope, sinks: readonly string[]): Promise<InsertOutcome> {
      const inline = sinks.filter((sink) => worker.inlineSinks.has(sink));
      const laned = inline.length === 0 ? sinks : sinks.filter((sink) => !worker.inlineSinks.has(sink));
      const reserved = worker.reserve(laned);
      let result;
      try {
        result = await store.insertAndClaim(envelope, sinks, {
          sinks: reserved,
          leaseMs: worker.leaseMs,
          deliveredInline: inline,
        });
      } catch (error) {
        worker.startReserved(reserved, []);
        throw error;
      }
      worker.startReserved(reserved, result.claims);
      if (result.outcome === 'stored') {
        if (inline.length > 0) worker.deliverInline(envelope, inline);
        if (reserved.length < laned.length) worker.notify(laned.filter((sink) => !reserved.includes(sink)));
      }
      return result.outcome;
    },
  };
}
