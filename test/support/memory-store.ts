import { randomUUID } from 'node:crypto';
import {
  envelopeToJson,
  type AttemptRecord,
  type ClaimedDelivery,
  type ClaimLimit,
  type DeadDeliveryView,
  type DeliveryListQuery,
  type DeliveryClaim,
  type Envelope,
  type EventDetail,
  type EventQuery,
  type EventSummary,
  type InsertResult,
  type NewDelivery,
  type RequeueQuery,
  type SequencedEvent,
  type SinkBacklog,
  type Store,
} from '../../src/index.js';
import {
  envelopeOf,
  leased,
  matchesEvent,
  MemoryData,
  type DeliveryRecord,
  type EventRecord,
} from './memory-data.js';
import { backlogOf, deadDeliveries, eventDetail, eventSummaries } from './memory-inspection.js';

/**
 * A complete Store kept in memory, written only against the package's exports: what "a store of
 * your own" must do, and proof that the contract suite (store-contract.ts) is enough to write one.
 * One process serves it (`sharedByReplicas: false`); every method runs in one synchronous step, so
 * concurrent calls never interleave. It keeps nothing across a restart of the process: an event it
 * acknowledged is lost with the process, which only a test (or an app that accepts that) may want.
 */
export class MemoryStore implements Store {
  readonly sharedByReplicas = false;
  private closed = false;

  constructor(private readonly data = new MemoryData()) {}

  /** Shard claims on the shared data: handles of one MemoryData stand in for replicas (CONDUIT_SHARD=auto). */
  get shardClaims() {
    return this.live().shardClaims;
  }

  /** A second handle on the same data, as a restarted process (or a second worker) would open. */
  reopen(): MemoryStore {
    return new MemoryStore(this.data);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private live(): MemoryData {
    if (this.closed) throw new Error('this memory store is closed; open another handle with reopen()');
    return this.data;
  }

  async warmUp(): Promise<void> {
    this.live();
  }

  async insertEvent(envelope: Envelope, deliveries: readonly NewDelivery[]): Promise<InsertResult> {
    const data = this.live();
    if (data.events.has(envelope.id)) return { outcome: 'duplicate' };
    const event: EventRecord = {
      seq: ++data.lastSeq,
      id: envelope.id,
      type: envelope.type,
      receivedAt: Date.parse(envelope.receivedAt),
      json: envelopeToJson(envelope),
    };
    data.events.set(event.id, event);
    data.bySeq.set(event.seq, event);
    const now = Date.now();
    const deliveryIds = deliveries.map(({ sink, claim }) => {
      const id = ++data.lastDeliveryId;
      data.deliveries.set(id, {
        id,
        seq: event.seq,
        sink,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: event.receivedAt,
        leaseUntil: claim ? now + claim.leaseMs : null,
        claimToken: claim?.token ?? null,
        lastError: null,
        deliveredAt: null,
      });
      return id;
    });
    return { outcome: 'stored', seq: event.seq, deliveryIds };
  }

  async readEventsAfter(afterSeq: number, limit: number): Promise<SequencedEvent[]> {
    const events = [...this.live().bySeq.values()].filter((event) => event.seq > afterSeq);
    return events.slice(0, limit).map((event) => ({ seq: event.seq, envelope: envelopeOf(event) }));
  }

  async latestSeq(): Promise<number> {
    return Math.max(0, ...this.live().bySeq.keys());
  }

  async claimDue(sink: string, now: Date, limit: ClaimLimit, leaseMs: number): Promise<ClaimedDelivery[]> {
    const data = this.live();
    const free = typeof limit === 'number' ? limit : limit.free();
    const due = [...data.deliveries.values()]
      .filter(
        (d) =>
          d.sink === sink &&
          d.status === 'pending' &&
          d.nextAttemptAt! <= now.getTime() &&
          !leased(d, now.getTime()),
      )
      .sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt! || a.id - b.id)
      .slice(0, Math.max(0, free));
    if (typeof limit !== 'number') limit.hold(due.length);
    const claimToken = randomUUID();
    return due.map((delivery) => {
      delivery.leaseUntil = now.getTime() + leaseMs;
      delivery.claimToken = claimToken;
      const { attempts } = delivery;
      return { deliveryId: delivery.id, claimToken, sink, attempts, envelope: this.envelopeOf(delivery) };
    });
  }

  private envelopeOf(delivery: DeliveryRecord): Envelope {
    return envelopeOf(this.data.bySeq.get(delivery.seq)!);
  }

  /** The delivery, if `claim` still holds it (its token is the delivery's current one). */
  private held(claim: DeliveryClaim): DeliveryRecord | undefined {
    const delivery = this.live().deliveries.get(claim.deliveryId);
    return delivery?.claimToken === claim.claimToken ? delivery : undefined;
  }

  private recordAttempt(delivery: DeliveryRecord, attempt: AttemptRecord): void {
    const history = this.data.attempts.get(delivery.id) ?? [];
    history.push({
      deliveryId: delivery.id,
      attempt: history.length + 1,
      startedAt: attempt.startedAt.getTime(),
      finishedAt: attempt.finishedAt.getTime(),
      ...(attempt.error !== undefined && { error: attempt.error }),
      ...(attempt.response !== undefined && { response: attempt.response }),
    });
    this.data.attempts.set(delivery.id, history);
    Object.assign(delivery, { attempts: delivery.attempts + 1, leaseUntil: null, claimToken: null });
  }

  async recordSuccess(claim: DeliveryClaim, attempt: AttemptRecord): Promise<boolean> {
    const delivery = this.held(claim);
    if (!delivery) return false;
    this.recordAttempt(delivery, attempt);
    Object.assign(delivery, {
      status: 'delivered',
      deliveredAt: attempt.finishedAt.getTime(),
      nextAttemptAt: null,
      lastError: null,
    });
    return true;
  }

  async recordFailure(
    claim: DeliveryClaim,
    attempt: AttemptRecord,
    nextAttemptAt: Date | null,
  ): Promise<boolean> {
    const delivery = this.held(claim);
    if (!delivery) return false;
    this.recordAttempt(delivery, attempt);
    Object.assign(delivery, {
      status: nextAttemptAt ? 'pending' : 'dead',
      nextAttemptAt: nextAttemptAt?.getTime() ?? null,
      lastError: attempt.error ?? 'failed',
    });
    return true;
  }

  async nextDueAt(sink: string, now: Date): Promise<Date | null> {
    const due = [...this.live().deliveries.values()]
      .filter((d) => d.sink === sink && d.status === 'pending' && !leased(d, now.getTime()))
      .map((d) => d.nextAttemptAt!);
    return due.length === 0 ? null : new Date(Math.min(...due));
  }

  async retryPendingNow(sink: string, now: Date): Promise<number> {
    const later = [...this.live().deliveries.values()].filter(
      (d) =>
        d.sink === sink &&
        d.status === 'pending' &&
        d.nextAttemptAt! > now.getTime() &&
        !leased(d, now.getTime()),
    );
    for (const delivery of later) delivery.nextAttemptAt = now.getTime();
    return later.length;
  }

  async requeue(query: RequeueQuery): Promise<number> {
    const data = this.live();
    const now = Date.now();
    const matching = [...data.deliveries.values()].filter((delivery) => {
      const event = data.bySeq.get(delivery.seq)!;
      return (
        (query.ids === undefined || query.ids.includes(event.id)) &&
        matchesEvent(event, query) &&
        (query.sink === undefined || delivery.sink === query.sink) &&
        !(delivery.status === 'pending' && leased(delivery, now))
      );
    });
    for (const delivery of matching) {
      // A fresh schedule; the attempt history stays.
      Object.assign(delivery, {
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        claimToken: null,
        deliveredAt: null,
      });
    }
    return matching.length;
  }

  /** One process serves this store: every lease was taken by a process that is gone. */
  async releaseAllClaims(): Promise<number> {
    const held = [...this.live().deliveries.values()].filter((d) => d.leaseUntil !== null);
    for (const delivery of held) Object.assign(delivery, { leaseUntil: null, claimToken: null });
    return held.length;
  }

  async getEvent(id: string): Promise<EventDetail | null> {
    return eventDetail(this.live(), id);
  }

  async listEvents(query: EventQuery): Promise<EventSummary[]> {
    return eventSummaries(this.live(), query);
  }

  async listDead(query: DeliveryListQuery): Promise<DeadDeliveryView[]> {
    return deadDeliveries(this.live(), query);
  }

  async deliveryBacklog(sinks: readonly string[]): Promise<SinkBacklog[]> {
    const data = this.live();
    return sinks.map((sink) => backlogOf(data, sink));
  }

  async listSinks(): Promise<string[]> {
    return [...new Set([...this.live().deliveries.values()].map((d) => d.sink))].sort();
  }

  async countEvents(): Promise<number> {
    return this.live().events.size;
  }

  async deleteDeliveredBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.live().deleteOld(cutoff, batchSize, (d) => d.status !== 'delivered');
  }

  async deleteDeadBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.live().deleteOld(cutoff, batchSize, (d) => d.status === 'pending');
  }

  async checkWritable(): Promise<void> {
    this.live();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
