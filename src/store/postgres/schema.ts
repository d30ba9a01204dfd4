/**
 * Versioned PostgreSQL migrations: entry N is version N + 1, recorded in `schema_migrations`.
 * Same shape as the SQLite schema; times are unix milliseconds (BIGINT) so both stores compare and
 * index them the same way, and the JSON columns keep Twitch's text exactly as received.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL,
    message_type TEXT NOT NULL,
    type TEXT NOT NULL,
    version TEXT NOT NULL,
    twitch_timestamp TEXT NOT NULL,
    retry INTEGER NOT NULL,
    subscription_json TEXT NOT NULL,
    event_json TEXT,
    received_at BIGINT NOT NULL,
    CONSTRAINT events_message_id_unique UNIQUE (id)
  );
  CREATE INDEX events_received_at ON events (received_at);
  CREATE TABLE deliveries (
    id BIGSERIAL PRIMARY KEY,
    event_seq BIGINT NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    sink TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    lease_until BIGINT,
    last_error TEXT,
    delivered_at BIGINT,
    UNIQUE (event_seq, sink)
  );
  CREATE INDEX deliveries_due ON deliveries (sink, status, next_attempt_at);
  CREATE INDEX deliveries_event ON deliveries (event_seq);
  CREATE TABLE attempts (
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
  );
  `,
  // 2: claim tokens, so a late attempt result cannot overwrite a delivery claimed again since.
  `ALTER TABLE deliveries ADD COLUMN claim_token TEXT;`,
  // 3: what the destination answered to a failed attempt (first 1 KiB), for `events show`.
  `ALTER TABLE attempts ADD COLUMN response TEXT;`,
  // 4: which replica serves which conduit shard (TRANSPORT=conduit, CONDUIT_SHARD unset or auto):
  // one row per shard, so two holders of one shard cannot exist; leases on the database's clock.
  `CREATE TABLE conduit_shard_claims (
     conduit_id TEXT NOT NULL,
     shard INTEGER NOT NULL,
     holder TEXT NOT NULL,
     lease_until BIGINT NOT NULL,
     claimed_at BIGINT NOT NULL,
     PRIMARY KEY (conduit_id, shard)
   );`,
];
