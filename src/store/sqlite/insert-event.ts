import type Database from 'better-sqlite3';
import type { Envelope } from '../../twitch/envelope.js';
import { rawPayloadOf } from '../../twitch/envelope-json.js';
import type { InsertResult, NewDelivery } from '../store.js';
import type { TransactionJournal } from './batch-transaction.js';
import type { MessageIdIndex } from './message-id-index.js';
import { MAX_DELIVERIES_PER_EVENT } from './schema.js';

const DUPLICATE: InsertResult = { outcome: 'duplicate' };

/**
 * What the insert of one event stores, as plain data: an envelope crosses to the writer thread as
 * this (its payload as received, its time in unix ms), never as the objects JSON.parse built.
 */
export interface EventInsert {
  id: string;
  messageType: Envelope['messageType'];
  type: string;
  version: string;
  timestamp: string;
  retry: number;
  subscriptionJson: string;
  eventJson: string | null;
  receivedAtMs: number;
}

/** The envelope's row data (the payload's text as received; see rawPayloadOf). */
export function eventInsertOf(envelope: Envelope): EventInsert {
  const raw = rawPayloadOf(envelope);
  return {
    id: envelope.id,
    messageType: envelope.messageType,
    type: envelope.type,
    version: envelope.version,
    timestamp: envelope.timestamp,
    retry: envelope.retry,
    subscriptionJson: raw.subscription,
    eventJson: raw.event,
    receivedAtMs: Date.parse(envelope.receivedAt),
  };
}

/** Distinct subscription texts remembered (a relay sees one per subscription; this only bounds a flood). */
const MAX_CACHED_SUBSCRIPTIONS = 10_000;

/**
 * The insert of one received event with its deliveries (the hot path, run inside a group commit):
 * one events row (the event as received; the subscription, stored once, by reference) and one
 * deliveries row per sink, pending, or leased to the intake's worker when it claims it at once.
 * A message id the index already holds inserts nothing.
 *
 * It is a journal of its transaction too: subscription ids it learnt in a transaction that rolls
 * back are forgotten.
 */
export class EventInserter implements TransactionJournal {
  private readonly insertEvent: Database.Statement;
  private readonly insertDelivery: Database.Statement;
  private readonly findSubscription: Database.Statement;
  private readonly insertSubscription: Database.Statement;
  private readonly subscriptionIds = new Map<string, number>();
  private learnt: string[] | undefined;
  /** The next seq to hand out; read from the database on the first insert. */
  private next: number | undefined;
  private readonly highestSeq: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly ids: MessageIdIndex,
  ) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (seq, id, message_type, type, version, twitch_timestamp, retry, subscription_id, event_json, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.highestSeq = db
      .prepare(
        `SELECT MAX(COALESCE((SELECT MAX(seq) FROM events), 0),
                    COALESCE((SELECT value FROM meta WHERE key = 'seq_high_water'), 0))`,
      )
      .pluck();
    this.insertDelivery = db.prepare(
      `INSERT INTO deliveries (id, event_seq, sink, status, next_attempt_at, lease_until, claim_token)
       VALUES (?, ?, ?, 'pending', ?, ?, ?)`,
    );
    this.findSubscription = db.prepare('SELECT id FROM subscriptions WHERE json = ?').pluck();
    this.insertSubscription = db.prepare('INSERT INTO subscriptions (json) VALUES (?)');
  }

  insert(event: EventInsert, deliveries: readonly NewDelivery[]): InsertResult {
    if (this.ids.find(event.id) !== undefined) return DUPLICATE;
    if (deliveries.length > MAX_DELIVERIES_PER_EVENT) {
      throw new Error(`an event may have at most ${MAX_DELIVERIES_PER_EVENT} deliveries (sinks)`);
    }
    const receivedAt = event.receivedAtMs;
    const seq = this.nextSeq();
    this.insertEvent.run(
      seq,
      event.id,
      event.messageType,
      event.type,
      event.version,
      event.timestamp,
      event.retry,
      this.subscriptionId(event.subscriptionJson),
      event.eventJson,
      receivedAt,
    );
    const now = Date.now();
    const deliveryIds = deliveries.map(({ sink, claim }, index) => {
      const id = seq * MAX_DELIVERIES_PER_EVENT + index;
      this.insertDelivery.run(
        id,
        seq,
        sink,
        receivedAt,
        claim ? now + claim.leaseMs : null,
        claim ? claim.token : null,
      );
      return id;
    });
    this.ids.add(event.id, seq);
    return { outcome: 'stored', seq, deliveryIds };
  }

  /**
   * Monotonic and never reused: above every stored event and every deleted one (retention records
   * the highest seq it deleted). A seq taken by a transaction that rolled back is simply skipped.
   */
  private nextSeq(): number {
    this.next ??= (this.highestSeq.get() as number) + 1;
    return this.next++;
  }

  private subscriptionId(json: string): number {
    let id = this.subscriptionIds.get(json);
    if (id === undefined) {
      id =
        (this.findSubscription.get(json) as number | undefined) ??
        Number(this.insertSubscription.run(json).lastInsertRowid);
      if (this.subscriptionIds.size >= MAX_CACHED_SUBSCRIPTIONS) this.subscriptionIds.clear();
      this.subscriptionIds.set(json, id);
      this.learnt?.push(json);
    }
    return id;
  }

  begin(): void {
    this.learnt = [];
  }

  commit(): void {
    this.learnt = undefined;
  }

  rollback(): void {
    for (const json of this.learnt ?? []) this.subscriptionIds.delete(json);
    this.learnt = undefined;
  }
}
