import type Database from 'better-sqlite3';
import type { Envelope } from '../../twitch/envelope.js';
import { rawPayloadOf } from '../../twitch/envelope-json.js';
import type { InsertResult, NewDelivery } from '../store.js';
import type { MessageIdIndex } from './message-id-index.js';

const DUPLICATE: InsertResult = { outcome: 'duplicate' };

/**
 * The insert of one received event with its deliveries (the hot path, run inside a group commit):
 * one events row (the payload as received, no re-serialising) and one deliveries row per sink,
 * pending, or leased to the intake's worker when it claims it at once. A message id the index
 * already holds inserts nothing.
 */
export class EventInserter {
  private readonly insertEvent: Database.Statement;
  private readonly insertDelivery: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly ids: MessageIdIndex,
  ) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (id, message_type, type, version, twitch_timestamp, retry, subscription_json, event_json, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertDelivery = db.prepare(
      `INSERT INTO deliveries (event_seq, sink, status, next_attempt_at, lease_until, claim_token)
       VALUES (?, ?, 'pending', ?, ?, ?)`,
    );
  }

  insert(envelope: Envelope, deliveries: readonly NewDelivery[]): InsertResult {
    if (this.ids.find(envelope.id) !== undefined) return DUPLICATE;
    const receivedAt = Date.parse(envelope.receivedAt);
    const raw = rawPayloadOf(envelope);
    const seq = Number(
      this.insertEvent.run(
        envelope.id,
        envelope.messageType,
        envelope.type,
        envelope.version,
        envelope.timestamp,
        envelope.retry,
        raw.subscription,
        raw.event,
        receivedAt,
      ).lastInsertRowid,
    );
    const now = Date.now();
    const deliveryIds = deliveries.map(({ sink, claim }) =>
      Number(
        this.insertDelivery.run(
          seq,
          sink,
          receivedAt,
          claim ? now + claim.leaseMs : null,
          claim ? claim.token : null,
        ).lastInsertRowid,
      ),
    );
    this.ids.add(envelope.id, seq);
    return { outcome: 'stored', seq, deliveryIds };
  }
}
