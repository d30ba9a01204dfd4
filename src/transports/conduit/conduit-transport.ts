import type { WebSocketSettings } from '../../config/relay-config.js';
import type { Intake } from '../../intake/port.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { ShardUpdateError, type ConduitApi } from '../../subscriptions/conduit-api.js';
import { TwitchCallError } from '../../subscriptions/twitch-errors.js';
import type { Envelope } from '../../twitch/envelope.js';
import { ReconnectBackoff } from '../websocket/backoff.js';
import { SessionSetupError } from '../websocket/errors.js';
import { IntakeFeeder } from '../websocket/intake-feeder.js';
import { SessionClient } from '../websocket/session-client.js';
import { envelopeOf } from '../websocket/to-envelope.js';

export interface ConduitTransportOptions {
  settings: WebSocketSettings;
  conduitId: string;
  shard: number;
  conduitApi: ConduitApi;
  intake: Intake;
  logger: Logger;
  metrics: Metrics;
  /** A failure only a person can fix (credentials refused, the conduit deleted): stop and report it. */
  onFatal(error: SessionSetupError): void;
  /** Called before every assignment; throws to refuse it (a replica checks it still holds the shard's claim). */
  beforeAssign?: () => Promise<void>;
}

/** The running shard: the session it is assigned now, and how to stop. */
export interface ConduitTransport {
  sessionId(): string | undefined;
  stop(): Promise<void>;
}

/**
 * One WebSocket shard of a conduit, on the WebSocket session client: welcome → assign the session
 * to CONDUIT_SHARD (Twitch closes a session not assigned within 10 s of its welcome:
 * https://dev.twitch.tv/docs/eventsub/handling-conduit-events/); session_reconnect → the new
 * connection takes over the shard without a gap; a drop → a fresh session after the backoff,
 * assigned again. The subscriptions belong to the conduit: none is created here, ever.
 * Notifications enter the intake webhooks use, deduplicated by message id.
 */
export function startConduitTransport(options: ConduitTransportOptions): ConduitTransport {
  const { conduitId, shard, metrics } = options;
  const log = options.logger.child({ transport: 'conduit', conduitId, shard });
  const feeder = new IntakeFeeder(options.intake, log, (envelope, outcome) => {
    metrics.websocketMessages.inc({ outcome });
    if (outcome !== 'stored') return;
    // A stored revocation reaches the relay's one revocation handler (intake.onStored), as for webhooks.
    if (envelope.messageType === 'notification' && envelope.type === 'conduit.shard.disabled')
      onShardDisabled(envelope);
  });
  // Twitch routes conduit.shard.disabled through the conduit, so a disabled shard never hears of
  // itself: the relay that does is another shard's. A relay notices its own shard's loss by its
  // connection (close, keepalive watchdog) and re-assigns it on the fresh session.
  const onShardDisabled = (envelope: Envelope) => {
    const event = shardEvent(envelope);
    if (event.conduit_id !== conduitId) return;
    metrics.conduitShardDisabled.inc({ shard: event.shard_id ?? '', status: event.status ?? '' });
    logShardDisabled(event, shard, log);
    if (event.shard_id === String(shard)) void reassign(event.status ?? 'unknown');
  };
  // Our own shard reported disabled while our session still looks open to us (Twitch ended it on
  // its side, or the report is about a moment our session missed): assign the open session again.
  // Were the session really gone, Twitch refuses it and the connection's own close brings a fresh one.
  const reassign = async (status: string) => {
    const sessionId = client.sessionId;
    if (!sessionId) return; // no session: the next one is assigned when it is welcomed
    try {
      await options.beforeAssign?.();
      await assign(options.conduitApi, conduitId, shard, sessionId);
      assigned.set({ shard: String(shard) }, 1);
      log.warn(
        { sessionId, status },
        `shard ${shard} was reported disabled (${status}) while this relay's session is open: assigned the session to it again`,
      );
    } catch (error) {
      log.error(
        { sessionId, status, err: { message: (error as Error).message } },
        `shard ${shard} was reported disabled (${status}) and assigning this relay's session to it again failed: ` +
          `${(error as Error).message}; a fresh session is assigned once this one closes`,
      );
    }
  };
  const assigned = metrics.conduitShardAssigned;
  assigned.set({ shard: String(shard) }, 0);
  const client = new SessionClient({
    url: options.settings.url,
    logger: log,
    backoff: new ReconnectBackoff(options.settings.backoffMs),
    maxMessageBytes: options.settings.maxMessageBytes,
    subscribe: async (sessionId) => {
      await options.beforeAssign?.();
      await assign(options.conduitApi, conduitId, shard, sessionId);
      assigned.set({ shard: String(shard) }, 1);
      return 1;
    },
    readyMessage: () =>
      `shard ${shard} of conduit ${conduitId} is assigned to this session; receiving events`,
    freshSessionNote:
      `it is assigned to shard ${shard} again; the subscriptions stay on the conduit (meanwhile Twitch sends ` +
      "this shard's events to another enabled shard, and drops them when there is none)",
    deliver: (message) => feeder.feed(envelopeOf(message, new Date())),
    fatal: (error) => options.onFatal(error),
    onConnected: (event) => {
      metrics.websocketSessions.inc({ event });
      if (event === 'dropped') assigned.set({ shard: String(shard) }, 0);
    },
  });
  client.start();
  return {
    sessionId: () => client.sessionId,
    async stop() {
      client.stop();
      assigned.set({ shard: String(shard) }, 0);
      await feeder.drain();
    },
  };
}

/** PATCH the shard; Twitch's answers become a retry (the session went away) or a stop (nothing to retry). */
async function assign(api: ConduitApi, conduitId: string, shard: number, sessionId: string): Promise<void> {
  try {
    await api.assignWebSocket(conduitId, String(shard), sessionId);
  } catch (error) {
    if (error instanceof ShardUpdateError) throw new SessionSetupError(error.message, false);
    if (error instanceof TwitchCallError) {
      const fatal = error.endpoint === 'token' || error.status === 401 || error.status === 404;
      const why =
        error.status === 404
          ? `conduit ${conduitId} no longer exists on Twitch (deleted, or every shard disabled for 72 h): ` +
            'restart the relay to create or adopt one, then `eventsub-relay sync` its subscriptions'
          : error.message;
      throw new SessionSetupError(why, fatal);
    }
    throw error;
  }
}

interface ShardEvent {
  conduit_id?: string;
  shard_id?: string;
  status?: string;
}

function shardEvent(envelope: Envelope): ShardEvent {
  return (envelope.event ?? {}) as ShardEvent;
}

function logShardDisabled(event: ShardEvent, shard: number, log: Logger): void {
  const ours = event.shard_id === String(shard);
  log.warn(
    { disabledShard: event.shard_id, status: event.status },
    `Twitch disabled shard ${event.shard_id} of the conduit (${event.status}): ` +
      (ours
        ? 'it is this relay’s shard: assigning its session to it again'
        : 'its events go to the other shards until the relay serving it reconnects; check that relay (`eventsub-relay doctor` there)'),
  );
}
