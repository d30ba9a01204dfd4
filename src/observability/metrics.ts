import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The relay's Prometheus metrics, on their own registry (served at GET /metrics on loopback). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    callbackRequests: new Counter({
      name: 'eventsub_callback_requests_total',
      help: 'Requests to /callback by outcome (stored, duplicate, challenge, or the rejection code)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'eventsub_deliveries_total',
      help: 'Delivery attempts by sink and result (delivered, retry, dead, disabled, claim_lost)',
      labelNames: ['sink', 'result'] as const,
      registers: [registry],
    }),
    eventsStored: new Counter({
      name: 'eventsub_events_stored_total',
      help: 'Events stored (new message ids; a Twitch retry of one already held is not counted) by type and message type',
      labelNames: ['type', 'message_type'] as const,
      registers: [registry],
    }),
    storeCommit: new Histogram({
      name: 'eventsub_store_commit_seconds',
      help: 'Time from handing an event to the store until it is durable: the wait for its group commit, COMMIT and the WAL fdatasync (PostgreSQL: COMMIT); the 204 waits for it',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    deliveryDuration: new Histogram({
      name: 'eventsub_delivery_duration_seconds',
      help: 'Time a sink took to accept (or fail) one delivery',
      labelNames: ['sink'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers: [registry],
    }),
    websocketMessages: new Counter({
      name: 'eventsub_websocket_messages_total',
      help: 'Notifications and revocations received over EventSub WebSocket, by outcome (stored, duplicate, lost)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    websocketSessions: new Counter({
      name: 'eventsub_websocket_sessions_total',
      help: 'EventSub WebSocket session events (welcome = new session, reconnected = moved after session_reconnect, dropped)',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    conduitShardDisabled: new Counter({
      name: 'eventsub_conduit_shard_disabled_total',
      help: 'conduit.shard.disabled notifications received (TRANSPORT=conduit), by shard and the status Twitch gave it',
      labelNames: ['shard', 'status'] as const,
      registers: [registry],
    }),
    conduitShardAssigned: new Gauge({
      name: 'eventsub_conduit_shard_assigned',
      help:
        "1 while this relay's WebSocket session is assigned to the shard (TRANSPORT=conduit); 0 once it is not " +
        '(the session dropped, a replica lost its claim, the relay stopped)',
      labelNames: ['shard'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
