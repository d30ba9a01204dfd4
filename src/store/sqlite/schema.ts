import type Database from 'better-sqlite3';
import { MAX_DELIVERIES_PER_EVENT } from '../store.js';

/**
 * Versioned migrations, applied in order and tracked with PRAGMA user_version. Times are unix
 * milliseconds (INTEGER) so comparisons and indexes stay cheap. Foreign keys are not enforced
 * (the store opens with foreign_keys = OFF): the store deletes an event's deliveries and attempts
 * itself, and an enforced key would cost a lookup per delivery on the hot path.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    message_type TEXT NOT NULL,
    type TEXT NOT NULL,
    version TEXT NOT NULL,
    twitch_timestamp TEXT NOT NULL,
    retry INTEGER NOT NULL,
    subscription_json TEXT NOT NULL,
    event_json TEXT,
    received_at INTEGER NOT NULL
  );
  CREATE INDEX events_received_at ON events (received_at);
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_seq INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    sink TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until INTEGER,
    last_error TEXT,
    delivered_at INTEGER,
    UNIQUE (event_seq, sink)
  );
  CREATE INDEX deliveries_due ON deliveries (sink, status, next_attempt_at);
  CREATE TABLE attempts (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
  );
  `,
  // 2: claim tokens, so a late attempt result cannot overwrite a delivery claimed again since.
  `ALTER TABLE deliveries ADD COLUMN claim_token TEXT;`,
  // 3: fewer bytes written per event (from ~10 KB to ~2.5 KB, measured in bench/RESULTS.md).
  // - The message-id UNIQUE index goes: every random UUID dirtied one 4 KiB B-tree page per event,
  //   written to the WAL and again at checkpoint. The serving process keeps that index in memory
  //   (MessageIdIndex), rebuilt from this table when it opens.
  // - No AUTOINCREMENT (a sqlite_sequence write per commit): the store numbers events itself from
  //   MAX(seq) and meta.seq_high_water, which retention raises when it deletes the newest events,
  //   so a seq is never reused.
  // - Subscriptions are stored once (the same ~350 bytes came with every event of a subscription);
  //   event_rows is the events table as it was, for the queries that read it.
  // - A delivery's id is its event's seq * 64 + its position (at most 64 sinks), so an event's
  //   deliveries are one range of the table's own key: no UNIQUE (event_seq, sink) index. Only
  //   pending (and dead) deliveries are indexed, for claiming and listing.
  // - A successful attempt is kept in its delivery row (started_at, delivered_at), not as an
  //   attempts row; the attempts table holds failures and replayed successes.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO meta (key, value) SELECT 'seq_high_water', COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'events';
  CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, json TEXT NOT NULL UNIQUE);
  INSERT INTO subscriptions (json) SELECT DISTINCT subscription_json FROM events;
  CREATE TABLE events_v3 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    message_type TEXT NOT NULL,
    type TEXT NOT NULL,
    version TEXT NOT NULL,
    twitch_timestamp TEXT NOT NULL,
    retry INTEGER NOT NULL,
    subscription_id INTEGER NOT NULL,
    event_json TEXT,
    received_at INTEGER NOT NULL
  );
  INSERT INTO events_v3 SELECT e.seq, e.id, e.message_type, e.type, e.version, e.twitch_timestamp,
    e.retry, s.id, e.event_json, e.received_at
    FROM events e JOIN subscriptions s ON s.json = e.subscription_json ORDER BY e.seq;
  CREATE TEMP TABLE delivery_ids AS
    SELECT id AS old_id, event_seq * 64 + ROW_NUMBER() OVER (PARTITION BY event_seq ORDER BY id) - 1 AS new_id
    FROM deliveries;
  CREATE TABLE deliveries_v3 (
    id INTEGER PRIMARY KEY,
    event_seq INTEGER NOT NULL,
    sink TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until INTEGER,
    claim_token TEXT,
    last_error TEXT,
    started_at INTEGER,
    delivered_at INTEGER
  );
  INSERT INTO deliveries_v3 (id, event_seq, sink, status, attempts, next_attempt_at, lease_until,
    claim_token, last_error, delivered_at)
    SELECT m.new_id, d.event_seq, d.sink, d.status, d.attempts, d.next_attempt_at, d.lease_until,
      d.claim_token, d.last_error, d.delivered_at
    FROM deliveries d JOIN delivery_ids m ON m.old_id = d.id ORDER BY m.new_id;
  CREATE TABLE attempts_v3 (
    delivery_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
  ) WITHOUT ROWID;
  INSERT INTO attempts_v3 SELECT m.new_id, a.attempt, a.started_at, a.finished_at, a.error
    FROM attempts a JOIN delivery_ids m ON m.old_id = a.delivery_id;
  DROP TABLE delivery_ids;
  DROP TABLE attempts;
  DROP TABLE deliveries;
  DROP TABLE events;
  DELETE FROM sqlite_sequence;
  ALTER TABLE events_v3 RENAME TO events;
  ALTER TABLE deliveries_v3 RENAME TO deliveries;
  ALTER TABLE attempts_v3 RENAME TO attempts;
  CREATE INDEX events_received_at ON events (received_at);
  CREATE INDEX deliveries_pending ON deliveries (sink, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX deliveries_dead ON deliveries (sink) WHERE status = 'dead';
  CREATE VIEW event_rows AS
    SELECT e.seq, e.id, e.message_type, e.type, e.version, e.twitch_timestamp, e.retry,
      s.json AS subscription_json, e.event_json, e.received_at
    FROM events e JOIN subscriptions s ON s.id = e.subscription_id;
  `,
  // 4: what the destination answered to a failed attempt (first 1 KiB), for `events show`.
  `ALTER TABLE attempts ADD COLUMN response TEXT;`,
];

/** A delivery's id is its event's seq * MAX_DELIVERIES_PER_EVENT + its position. */
export { MAX_DELIVERIES_PER_EVENT };

/** SQL: the deliveries of the event aliased `e`, as a range of the deliveries table's key. */
export const DELIVERIES_OF_EVENT = `d.id BETWEEN e.seq * ${MAX_DELIVERIES_PER_EVENT} AND e.seq * ${MAX_DELIVERIES_PER_EVENT} + ${MAX_DELIVERIES_PER_EVENT - 1}`;

/** Applies the migrations the database file has not had yet, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
