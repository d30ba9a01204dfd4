import type { Envelope } from '../../twitch/envelope.js';
import type { InsertResult, NewDelivery, SequencedEvent } from '../records.js';
import type { ReplicaSharing } from './replica-sharing.js';

/**
 * The append-only log of received events, as the intake writes it and live streams read it: each
 * message id once, numbered by a store-wide sequence that only grows.
 */
export interface EventLog extends ReplicaSharing {
  /**
   * Writes the envelope and its deliveries (each pending, or leased to its `claim`) in one
   * transaction, unless an event with the same message id is stored already. Resolves only once
   * the write is durable: the caller may then acknowledge Twitch.
   */
  insertEvent(envelope: Envelope, deliveries: readonly NewDelivery[]): Promise<InsertResult>;
  /**
   * Up to `limit` stored events whose seq is above `afterSeq`, in seq order (read by primary key),
   * for live streams resuming from a Last-Event-ID. Deleted (retention) events are simply absent.
   */
  readEventsAfter(afterSeq: number, limit: number): Promise<SequencedEvent[]>;
  /** The highest seq of a stored event, 0 when there is none: where a live stream starts. */
  latestSeq(): Promise<number>;
}
