/**
 * eventsub-relay as a library. Run the whole relay in your process (`startRelay`), mount its
 * handlers in an HTTP server of your own instead of a second one (`composeRelay`), mount only its
 * /callback in front of an intake of your own (`createCallbackHandler`), check a signature yourself
 * (`verifyEventSubSignature`), or extend it: a sink kind (`defineSinkKind`, passed to startRelay's
 * `sinkKinds`), a handler module for `kind: module` sinks, a store of your own (a `Store`, passed
 * to startRelay's `store`; the roles it is made of are exported for the parts that take only one).
 */
import { loadRelayConfig, type RelayConfig } from './config/relay-config.js';
import { createLogger, type Logger } from './observability/logger.js';
import {
  startRelay as startComposedRelay,
  type RunningRelay,
  type StartRelayOptions,
} from './relay/start-relay.js';
import { composeRelay as composeParts, type ComposedRelay } from './relay/compose-relay.js';

export type { Envelope } from './twitch/envelope.js';
export type { SubscriptionExternal } from './twitch/messages.external.js';
export { envelopeToJson } from './twitch/envelope-json.js';
export { verifyEventSubSignature } from './twitch/signature.js';
export type { AcceptOutcome, Intake } from './intake/port.js';
export { createCallbackHandler } from './server/embeddable-handler.js';
export type { CallbackHandler, EmbeddedCallbackOptions } from './server/embeddable-handler.js';
export { loadRelayConfig } from './config/relay-config.js';
export type {
  RelayConfig,
  ServerSettings,
  WebhookSettings,
  StoreSettings,
  DeliverySettings,
  StreamSettings,
  WebSocketSettings,
  TwitchSettings,
  LogSettings,
} from './config/relay-config.js';
export type { ProvisionedDataDir, EventSubSecrets } from './config/provision.js';
export type { RunningRelay, StartRelayOptions } from './relay/start-relay.js';
export type { ComposedRelay } from './relay/compose-relay.js';
export type { RelayHttpHandlers } from './server/relay-server.js';
export { CloseError } from './relay/closer-stack.js';
export type { RelayIntake, StoredEvent, StoredListener } from './delivery/intake.js';
export type {
  Store,
  EventLog,
  DeliveryQueue,
  EventInspector,
  StoreMaintenance,
  ReplicaSharing,
  ShardClaims,
  ShardClaim,
  NewDelivery,
  InsertResult,
  ClaimedDelivery,
  DeliveryClaim,
  ClaimLimit,
  ClaimSlots,
  AttemptRecord,
  AttemptView,
  DeliveryStatus,
  DeliveryView,
  DeadDeliveryView,
  DeliveryListQuery,
  EventDetail,
  EventQuery,
  EventSummary,
  RequeueQuery,
  SequencedEvent,
  SinkBacklog,
} from './store/store.js';
export { defineSinkKind, DeliveryError } from './sinks/sink.js';
export type { Sink, SinkContext, SinkKind } from './sinks/sink.js';
export type { RelayHandlers, EventHandler, ErrorHandler } from './sinks/module/relay-api.js';
export type { Logger } from './observability/logger.js';

import type { RelayHandlers } from './sinks/module/relay-api.js';

/**
 * The default export of a `kind: module` sink's file:
 * `export default (relay) => { relay.on('channel.follow', (follow) => …) }`.
 */
export type HandlerModule = (relay: RelayHandlers) => void | Promise<void>;

/**
 * Starts the relay in this process, configured like the `eventsub-relay serve` command: from the
 * environment and the config file (`loadRelayConfig()`, which creates nothing), or from a config you
 * loaded and adjusted (one slice per part: `config.server.port`, `config.delivery.forwardUrls` …).
 * It provisions DATA_DIR first (folder, EventSub secret, FORWARD_URL's secret, stream tokens; see
 * `relay.provisioned`). Resolves once it listens; `stop()` ends it gracefully.
 * With `store`, it runs on a Store of your own instead of opening STORE_URL, and leaves closing it
 * to you (after `stop()`).
 */
export function startRelay(
  config: RelayConfig = loadRelayConfig(),
  options: StartRelayOptions & { logger?: Logger } = {},
): Promise<RunningRelay> {
  return startComposedRelay(config, options.logger ?? createLogger(config.log.level), options);
}

/**
 * Builds the relay like startRelay, but serves nothing: mount `handlers.callback`, `handlers.stream`,
 * `handlers.health` and `handlers.ready` (or the whole `requestListener`) in your own HTTP server,
 * then call `start()`. To stop: close your server, then `stop()`.
 */
export function composeRelay(
  config: RelayConfig = loadRelayConfig(),
  options: StartRelayOptions & { logger?: Logger } = {},
): Promise<ComposedRelay> {
  return composeParts(config, options.logger ?? createLogger(config.log.level), options);
}
