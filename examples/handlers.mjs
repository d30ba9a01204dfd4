// Example for the `module` sink. In eventsub-relay.yml:
//   sinks:
//     - { name: bot, kind: module, path: ./examples/handlers.mjs }
// Handlers get a @twurple/eventsub-base object where one exists for the type and version
// (EventSubChannelFollowEvent, EventSubStreamOnlineEvent, …), the raw event otherwise, and the envelope.
// A handler that throws makes the delivery fail; it is retried on the sink's schedule.

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

  relay.onAny((_event, envelope) => {
    console.log(`[${envelope.id}] ${envelope.messageType} ${envelope.type}`);
  });

  relay.onError((error, envelope) => {
    console.error(`handler failed for ${envelope.id}; it will be retried:`, error);
  });
}
