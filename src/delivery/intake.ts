import { randomUUID } from 'node:crypto';
import type { AcceptOutcome, Intake } from '../intake/port.js';
import type { Logger } from '../observability/logger.js';
import type { ClaimedDelivery, EventLog, NewDelivery } from '../store/store.js';
import type { Envelope } from '../twitch/envelope.js';
import type { DeliveryWorker } from './delivery-worker.js';

/** An event just stored: its store-wide sequence number and the envelope. */
export interface StoredEvent {
  seq: number;
  envelope: Envelope;
}

/** Runs once per stored event, after every transport has answered for it (revocation handling, live streams). */
export type StoredListener = (event: StoredEvent) => void;

export interface IntakeOptions {
  /** Where each accepted event is written, once, before the transport answers. */
  store: EventLog;
  /** The sinks whose filters admit the envelope (see createRouter). */
  route: (envelope: Envelope) => readonly string[];
  worker: DeliveryWorker;
  logger: Logger;
}

/** The intake, and where to hear about what it stored. */
export interface RelayIntake extends Intake {
  onStored(listener: StoredListener): void;
}

/**
 * The one door every transport feeds. `accept` routes the envelope, then makes ONE store write:
 * the event and its deliveries, in the group commit, resolved only once durable. Nothing else runs
 * before it resolves, so the transport's answer (the 204) waits for the disk and nothing more.
 *
 * Deliveries for lanes with a free slot are stored already leased to this process (no claim query,
 * no reading the event back, and no other replica can take them meanwhile). Those attempts, the
 * wake-ups of full lanes and the stored-event listeners all start on the next turn of the event
 * loop: the durable write resolves every request of its batch in one go (microtasks), so by then
 * each of them has written its 204.
 */
export function createIntake(options: IntakeOptions): RelayIntake {
  const { store, route, worker, logger } = options;
  const listeners: StoredListener[] = [];
  const afterAck = new AfterAck();

  return {
    onStored(listener) {
      listeners.push(listener);
    },

    async accept(envelope: Envelope): Promise<AcceptOutcome> {
      const sinks = route(envelope);
      const reserved = worker.reserve(sinks);
      const claim = reserved.length > 0 ? { token: randomUUID(), leaseMs: worker.leaseMs } : undefined;
      const deliveries: NewDelivery[] = sinks.map((sink) =>
        claim && reserved.includes(sink) ? { sink, claim } : { sink },
      );
      let result;
      try {
        result = await store.insertEvent(envelope, deliveries);
      } catch (error) {
        worker.startReserved(reserved, []);
        throw error;
      }
      if (result.outcome === 'duplicate') {
        worker.startReserved(reserved, []);
        return 'duplicate';
      }
      const { seq, deliveryIds } = result;
      afterAck.run(() => {
        const claims: ClaimedDelivery[] = [];
        deliveries.forEach((delivery, index) => {
          if (delivery.claim) {
            claims.push({
              deliveryId: deliveryIds[index]!,
              claimToken: delivery.claim.token,
              sink: delivery.sink,
              attempts: 0,
              envelope,
            });
          }
        });
        worker.startReserved(reserved, claims);
        if (reserved.length < sinks.length) worker.notify(sinks.filter((sink) => !reserved.includes(sink)));
        for (const listener of listeners) {
          try {
            listener({ seq, envelope });
          } catch (error) {
            logger.error({ err: error, messageId: envelope.id }, 'a stored-event listener failed');
          }
        }
      });
      return 'stored';
    },
  };
}

/** Work queued for the next turn of the event loop, run in order with one setImmediate per turn. */
class AfterAck {
  private queue: (() => void)[] = [];

  run(work: () => void): void {
    if (this.queue.push(work) === 1) setImmediate(() => this.drain());
  }

  private drain(): void {
    const queue = this.queue;
    this.queue = [];
    for (const work of queue) work();
  }
}
