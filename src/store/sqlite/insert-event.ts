import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../twitch/envelope.js';
import type { ClaimedDelivery, ClaimOnInsert, InsertResult } from '../store.js';

const DUPLICATE: InsertResult = { outcome: 'duplicate', claims: [] };

/**
 * The insert of one received event with its deliveries (the hot path, run inside a group commit):
 * pending ones, the ones leased at once to the inserting worker, and inline ones stored delivered.
 * An event whose message id is already stored inserts nothing.
 */
export class EventInserter {
  private readonly insertEvent: Database.Statement;
  private readonly insertDelivery: Database.Statement;
  private readonly insertDelivered: Database.Statement;
  private readonly insertFirstAttempt: Database.Statement;

  constructor(db: Database.Database) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (id, message_type, type, version, twitch_timestamp, retry, subscription_json, event_json, received_at)
       VALUES (@id, @messageType, @type, @version, @timestamp, @retry, @subscription, @event, @receivedAt)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.insertDelivery = db.prepare(
      `INSERT INTO deliveries (event_seq, sink, status, next_attempt_at, lease_until, claim_token)
       VALUES (?, ?, 'pending', ?, ?, ?)`,
    );
    this.insertDelivered = db.prepare(
      `INSERT INTO deliveries (event_seq, sink, status, attempts, delivered_at) VALUES (?, ?, 'delivered', 1, ?)`,
    );
    this.insertFirstAttempt = db.prepare(
      'INSERT INTO attempts (delivery_id, attempt, started_at, finished_at) VALUES (?, 1, ?, ?)',
    );
  }

  insert(envelope: Envelope, sinks: readonly string[], claim?: ClaimOnInsert): InsertResult {
    const receivedAt = Date.parse(envelope.receivedAt);
    const result = this.insertEvent.run({
      ...envelope,
      subscription: JSON.stringify(envelope.subscription),
      event: envelope.event === null ? null : JSON.stringify(envelope.event),
      receivedAt,
    });
    if (result.changes === 0) return DUPLICATE;
    const claims: ClaimedDelivery[] = [];
    const claimToken = claim && claim.sinks.length > 0 ? randomUUID() : null;
    const leaseUntil = claim ? Date.now() + claim.leaseMs : null;
    for (const sink of sinks) {
      if (claim?.deliveredInline?.includes(sink)) {
        const { lastInsertRowid } = this.insertDelivered.run(result.lastInsertRowid, sink, receivedAt);
        this.insertFirstAttempt.run(lastInsertRowid, receivedAt, receivedAt);
        continue;
      }
      const claimed = claimToken !== null && claim!.sinks.includes(sink);
      const { lastInsertRowid } = this.insertDelivery.run(
        result.lastInsertRowid,
        sink,
        receivedAt,
        claimed ? leaseUntil : null,
        claimed ? claimToken : null,
      );
      if (claimed) {
        claims.push({
          deliveryId: Number(lastInsertRowid),
          claimToken: claimToken!,
          sink,
          attempts: 0,
          envelope,
        });
      }
    }
    return { outcome: 'stored', claims };
  }
}
