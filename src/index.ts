/**
 * What the package offers to code that extends the relay (the service itself runs with the
 * `eventsub-relay` bin): the envelope every sink and handler receives, the `Sink` interface and
 * `defineSinkKind` for a new sink kind, and the registry a module sink's default export gets.
 */
export type { Envelope } from './twitch/envelope.js';
export type { SubscriptionExternal } from './twitch/messages.external.js';
export { defineSinkKind, DeliveryError } from './sinks/sink.js';
export type { Sink, SinkContext, SinkKind } from './sinks/sink.js';
export type { RelayHandlers, EventHandler, ErrorHandler } from './sinks/module/relay-api.js';

import type { RelayHandlers } from './sinks/module/relay-api.js';

/**
 * The default export of a `kind: module` sink's file:
 * `export default (relay) => { relay.on('channel.follow', (follow) => …) }`.
 */
export type HandlerModule = (relay: RelayHandlers) => void | Promise<void>;
