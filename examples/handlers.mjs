// Example for the `module` sink. In eventsub-relay.yml:
//   sinks:
//     - { name: bot, kind: module, path: ./examples/handlers.mjs }
// Handlers (on and onAny) get a @twurple/eventsub-base object where one exists for the type and
// version (EventSubChannelFollowEvent, EventSubStreamOnlineEvent, …), the raw event otherwise, and the
// envelope. A handler that throws, or is still running after the sink's timeoutMs (default 10 s),
// makes the delivery fail; it is retried on the sink's schedule.

/** @param {import('../dist/sinks/module/relay-api.js').RelayHandlers} relay */
export default function register(relay) {
  relay.on('channel.follow', (follow) => {
    console.log(
      `${follow.userDisplayName} followed ${follow.broadcasterDisplayName} at ${follow.followDate.toISOString()}`,
    );
  });

  relay.on(['stream.online', 'stream.offline'], (event, envelope) => {
    console.log(
      `${event.broadcasterDisplayName} is now ${envelope.type === 'stream.online' ? 'live' : 'offline'}`,
    );
  });

  relay.onRevocation((subscription) => {
    console.warn(`Twitch revoked ${subscription.type}: ${subscription.status}`);
  });

  relay.onAny((event, envelope) => {
    // event: the same typed object as above (null for revocations).
    console.log(
      `[${envelope.id}] ${envelope.messageType} ${envelope.type} (${event?.constructor.name ?? 'revocation'})`,
    );
  });

  relay.onError((error, envelope) => {
    console.error(`handler failed for ${envelope.id}; it will be retried:`, error);
  });
}
