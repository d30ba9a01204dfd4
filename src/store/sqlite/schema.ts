import type Database from 'better-sqlite3';

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
  // 3: fewer B-tree writes per event (issue 11). The message-id UNIQUE index goes: every random
  // UUID dirtied one 4 KiB page per event, twice (WAL and checkpoint); the serving process keeps
  // that index in memory instead (MessageIdIndex). No AUTOINCREMENT (a sqlite_sequence write per
  // commit): seq stays monotonic because retention never deletes the newest event. No
  // events_received_at index (retention walks seq order, which is receive order). Pending
  // deliveries only are indexed for claiming. A successful attempt is kept in its delivery row
  // (started_at, delivered_at), not as an attempts row.
  `
  CREATE TABLE events_v3 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    message_type TEXT NOT NULL,
    type TEXT NOT NULL,
    version TEXT NOT NULL,
    twitch_timestamp TEXT NOT NULL,
    retry INTEGER NOT NULL,
    subscription_json TEXT NOT NULL,
    event_json TEXT,
    received_at INTEGER NOT NULL
  );
  INSERT INTO events_v3 SELECT seq, id, message_type, type, version, twitch_timestamp, retry,
    subscription_json, event_json, received_at FROM events ORDER BY seq;
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
    delivered_at INTEGER,
    UNIQUE (event_seq, sink)
  );
  INSERT INTO deliveries_v3 (id, event_seq, sink, status, attempts, next_attempt_at, lease_until,
    claim_token, last_error, delivered_at)
    SELECT id, event_seq, sink, status, attempts, next_attempt_at, lease_until, claim_token,
      last_error, delivered_at FROM deliveries ORDER BY id;
  CREATE TABLE attempts_v3 (
    delivery_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
  ) WITHOUT ROWID;
  INSERT INTO attempts_v3 SELECT delivery_id, attempt, started_at, finished_at, error FROM attempts;
  DROP TABLE attempts;
  DROP TABLE deliveries;
  DROP TABLE events;
  DELETE FROM sqlite_sequence;
  ALTER TABLE events_v3 RENAME TO events;
  ALTER TABLE deliveries_v3 RENAME TO deliveries;
  ALTER TABLE attempts_v3 RENAME TO attempts;
  CREATE INDEX deliveries_pending ON deliveries (sink, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX deliveries_dead ON deliveries (sink) WHERE status = 'dead';
  `,
];

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
