import type { DeliveryStatus, DeliveryView, Envelope, EventQuery } from '../../src/index.js';
import { MemoryShardClaims } from './memory-shard-claims.js';

/** One stored event: its envelope as JSON text (a store hands out a fresh copy on every read). */
export interface EventRecord {
  seq: number;
  id: string;
  type: string;
  receivedAt: number;
  json: string;
}

export interface DeliveryRecord {
  id: number;
  seq: number;
  sink: string;
  status: DeliveryStatus;
  /** Attempts in the current schedule (a replay starts again at 0). */
  attempts: number;
  nextAttemptAt: number | null;
  leaseUntil: number | null;
  claimToken: string | null;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface AttemptEntry {
  deliveryId: number;
  attempt: number;
  startedAt: number;
  finishedAt: number;
  error?: string;
  response?: string;
}

/**
 * What a memory store holds, shared by every handle opened on it as a database file is shared by
 * every connection: a second handle is what a restarted process (or a second worker) would see.
 */
export class MemoryData {
  readonly events = new Map<string, EventRecord>();
  /** Insertion order is seq order: seqs only grow. */
  readonly bySeq = new Map<number, EventRecord>();
  readonly deliveries = new Map<number, DeliveryRecord>();
  readonly attempts = new Map<number, AttemptEntry[]>();
  /** The last seq handed out: above every stored and every deleted event, so never reused. */
  lastSeq = 0;
  lastDeliveryId = 0;
  /** Conduit shard claims, shared by every handle as replicas share a database's claims table. */
  readonly shardClaims = new MemoryShardClaims();

  deliveriesOf(seq: number): DeliveryRecord[] {
    return [...this.deliveries.values()]
      .filter((delivery) => delivery.seq === seq)
      .sort((a, b) => (a.sink < b.sink ? -1 : a.sink > b.sink ? 1 : 0));
  }

  /** Deletes up to `batchSize` events older than `cutoff`, oldest first, that no delivery `blocks`. */
  deleteOld(cutoff: Date, batchSize: number, blocks: (delivery: DeliveryRecord) => boolean): number {
    const old = [...this.bySeq.values()]
      .filter((event) => event.receivedAt < cutoff.getTime() && !this.deliveriesOf(event.seq).some(blocks))
      .sort((a, b) => a.receivedAt - b.receivedAt)
      .slice(0, batchSize);
    for (const event of old) this.remove(event);
    return old.length;
  }

  /** Deletes the event with its deliveries and their attempts; its message id may be stored again. */
  remove(event: EventRecord): void {
    for (const delivery of this.deliveriesOf(event.seq)) {
      this.deliveries.delete(delivery.id);
      this.attempts.delete(delivery.id);
    }
    this.events.delete(event.id);
    this.bySeq.delete(event.seq);
  }
}

/** A fresh envelope object from the stored text. */
export function envelopeOf(event: EventRecord): Envelope {
  return JSON.parse(event.json) as Envelope;
}

export function viewOf(delivery: DeliveryRecord): DeliveryView {
  return {
    deliveryId: delivery.id,
    sink: delivery.sink,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt:
      delivery.status === 'pending' && delivery.nextAttemptAt !== null
        ? new Date(delivery.nextAttemptAt)
        : null,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt === null ? null : new Date(delivery.deliveredAt),
  };
}

/** An event-type glob (`channel.*`): `*` matches any run of characters, everything else itself. */
export function matchesType(glob: string | undefined, type: string): boolean {
  if (glob === undefined) return true;
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(type);
}

/** The event filters `listEvents` and `requeue` share: type glob, received since. */
export function matchesEvent(event: EventRecord, query: Pick<EventQuery, 'type' | 'since'>): boolean {
  return (
    matchesType(query.type, event.type) &&
    (query.since === undefined || event.receivedAt >= query.since.getTime())
  );
}

/** A lease that runs at `now` (someone is attempting the delivery). */
export function leased(delivery: DeliveryRecord, now: number): boolean {
  return delivery.leaseUntil !== null && delivery.leaseUntil > now;
}
