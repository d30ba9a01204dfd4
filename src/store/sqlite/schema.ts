import type Database from 'better-sqlite3';

/**
 * Versioned migrations, applied in order and tracked with PRAGMA user_version.
 * Times are unix milliseconds (INTEGER) so comparisons and indexes stay cheap.
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
  // 3: what the destination answered to a failed attempt (first 1 KiB), for `events show`.
  `ALTER TABLE attempts ADD COLUMN response TEXT;`,
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
