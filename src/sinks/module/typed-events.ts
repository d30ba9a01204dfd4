import {
  EventSubChannelBanEvent,
  EventSubChannelChatMessageEvent,
  EventSubChannelCheerEvent,
  EventSubChannelFollowEvent,
  EventSubChannelRaidEvent,
  EventSubChannelRedemptionAddEvent,
  EventSubChannelSubscriptionEvent,
  EventSubChannelSubscriptionGiftEvent,
  EventSubChannelUpdateEvent,
  EventSubStreamOfflineEvent,
  EventSubStreamOnlineEvent,
  EventSubUserAuthorizationRevokeEvent,
} from '@twurple/eventsub-base';

// twurple's constructors are @internal (stripped from the .d.ts), but DataObject's public
// `constructor(data)` is what they inherit in the typings; the raw Twitch event is exactly that data.
type EventClass = new (data: never) => object;

/**
 * `type@version` → the @twurple/eventsub-base class that wraps that event. twurple keeps this map
 * private (inside each subscription class), so we keep our own; types not listed get the raw event.
 */
export const TYPED_EVENT_CLASSES: Readonly<Record<string, EventClass>> = {
  'channel.follow@2': EventSubChannelFollowEvent,
  'channel.update@2': EventSubChannelUpdateEvent,
  'channel.subscribe@1': EventSubChannelSubscriptionEvent,
  'channel.subscription.gift@1': EventSubChannelSubscriptionGiftEvent,
  'channel.cheer@1': EventSubChannelCheerEvent,
  'channel.raid@1': EventSubChannelRaidEvent,
  'channel.ban@1': EventSubChannelBanEvent,
  'channel.channel_points_custom_reward_redemption.add@1': EventSubChannelRedemptionAddEvent,
  'channel.chat.message@1': EventSubChannelChatMessageEvent,
  'stream.online@1': EventSubStreamOnlineEvent,
  'stream.offline@1': EventSubStreamOfflineEvent,
  'user.authorization.revoke@1': EventSubUserAuthorizationRevokeEvent,
};

/** The twurple object for this event when one exists (no ApiClient: `getUser()` etc. are unavailable), else the raw event. */
export function toTypedEvent(type: string, version: string, event: Record<string, unknown>): object {
  const EventClass = TYPED_EVENT_CLASSES[`${type}@${version}`];
  return EventClass ? new EventClass(event as never) : event;
}
