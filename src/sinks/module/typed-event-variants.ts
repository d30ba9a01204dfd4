import * as twurple from '@twurple/eventsub-base';
import type { EventClass } from './typed-event-classes.js';

/** A class chosen by one field of the raw event, and whether its constructor takes that field's value too. */
export interface EventVariant {
  class: EventClass;
  /** twurple's AutoModTerms / UnbanRequest moderation events are built as `new X(data, data.action)`. */
  discriminatorArgument?: true;
}

export interface VariantTable {
  /** The raw event's field that selects the class (`notice_type`, `action`). */
  discriminator: string;
  variants: Readonly<Record<string, EventClass | EventVariant>>;
}

/**
 * Types whose twurple class depends on a field of the event, copied from twurple 8.1.4's
 * EventSubChannelChatNotificationSubscription and EventSubChannelModerateSubscription (`transformData`).
 * A value twurple does not know yet gets the raw event.
 */
export const TYPED_EVENT_VARIANTS: Readonly<Record<string, VariantTable>> = {
  'channel.chat.notification@1': {
    discriminator: 'notice_type',
    variants: {
      sub: twurple.EventSubChannelChatSubNotificationEvent,
      resub: twurple.EventSubChannelChatResubNotificationEvent,
      sub_gift: twurple.EventSubChannelChatSubGiftNotificationEvent,
      community_sub_gift: twurple.EventSubChannelChatCommunitySubGiftNotificationEvent,
      gift_paid_upgrade: twurple.EventSubChannelChatGiftPaidUpgradeNotificationEvent,
      prime_paid_upgrade: twurple.EventSubChannelChatPrimePaidUpgradeNotificationEvent,
      raid: twurple.EventSubChannelChatRaidNotificationEvent,
      unraid: twurple.EventSubChannelChatUnraidNotificationEvent,
      pay_it_forward: twurple.EventSubChannelChatPayItForwardNotificationEvent,
      announcement: twurple.EventSubChannelChatAnnouncementNotificationEvent,
      charity_donation: twurple.EventSubChannelChatCharityDonationNotificationEvent,
      bits_badge_tier: twurple.EventSubChannelChatBitsBadgeTierNotificationEvent,
      watch_streak: twurple.EventSubChannelChatWatchStreakNotificationEvent,
      shared_chat_sub: twurple.EventSubChannelChatSharedChatSubNotificationEvent,
      shared_chat_resub: twurple.EventSubChannelChatSharedChatResubNotificationEvent,
      shared_chat_sub_gift: twurple.EventSubChannelChatSharedChatSubGiftNotificationEvent,
      shared_chat_community_sub_gift: twurple.EventSubChannelChatSharedChatCommunitySubGiftNotificationEvent,
      shared_chat_gift_paid_upgrade: twurple.EventSubChannelChatSharedChatGiftPaidUpgradeNotificationEvent,
      shared_chat_prime_paid_upgrade: twurple.EventSubChannelChatSharedChatPrimePaidUpgradeNotificationEvent,
      shared_chat_pay_it_forward: twurple.EventSubChannelChatSharedChatPayItForwardNotificationEvent,
      shared_chat_raid: twurple.EventSubChannelChatSharedChatRaidNotificationEvent,
      shared_chat_announcement: twurple.EventSubChannelChatSharedChatAnnouncementNotificationEvent,
    },
  },
  'channel.moderate@2': {
    discriminator: 'action',
    variants: {
      delete: twurple.EventSubChannelDeleteModerationEvent,
      clear: twurple.EventSubChannelClearModerationEvent,
      timeout: twurple.EventSubChannelTimeoutModerationEvent,
      untimeout: twurple.EventSubChannelUntimeoutModerationEvent,
      ban: twurple.EventSubChannelBanModerationEvent,
      unban: twurple.EventSubChannelUnbanModerationEvent,
      emoteonly: twurple.EventSubChannelEmoteOnlyModerationEvent,
      emoteonlyoff: twurple.EventSubChannelEmoteOnlyOffModerationEvent,
      followers: twurple.EventSubChannelFollowersModerationEvent,
      followersoff: twurple.EventSubChannelFollowersOffModerationEvent,
      uniquechat: twurple.EventSubChannelUniqueChatModerationEvent,
      uniquechatoff: twurple.EventSubChannelUniqueChatOffModerationEvent,
      slow: twurple.EventSubChannelSlowModerationEvent,
      slowoff: twurple.EventSubChannelSlowOffModerationEvent,
      subscribers: twurple.EventSubChannelSubscribersModerationEvent,
      subscribersoff: twurple.EventSubChannelSubscribersOffModerationEvent,
      raid: twurple.EventSubChannelRaidModerationEvent,
      unraid: twurple.EventSubChannelUnraidModerationEvent,
      mod: twurple.EventSubChannelModModerationEvent,
      unmod: twurple.EventSubChannelUnmodModerationEvent,
      vip: twurple.EventSubChannelVipModerationEvent,
      unvip: twurple.EventSubChannelUnvipModerationEvent,
      warn: twurple.EventSubChannelWarnModerationEvent,
      add_blocked_term: {
        class: twurple.EventSubChannelAutoModTermsModerationEvent,
        discriminatorArgument: true,
      },
      add_permitted_term: {
        class: twurple.EventSubChannelAutoModTermsModerationEvent,
        discriminatorArgument: true,
      },
      remove_blocked_term: {
        class: twurple.EventSubChannelAutoModTermsModerationEvent,
        discriminatorArgument: true,
      },
      remove_permitted_term: {
        class: twurple.EventSubChannelAutoModTermsModerationEvent,
        discriminatorArgument: true,
      },
      approve_unban_request: {
        class: twurple.EventSubChannelUnbanRequestModerationEvent,
        discriminatorArgument: true,
      },
      deny_unban_request: {
        class: twurple.EventSubChannelUnbanRequestModerationEvent,
        discriminatorArgument: true,
      },
      shared_chat_ban: twurple.EventSubChannelSharedChatBanModerationEvent,
      shared_chat_unban: twurple.EventSubChannelSharedChatUnbanModerationEvent,
      shared_chat_timeout: twurple.EventSubChannelSharedChatTimeoutModerationEvent,
      shared_chat_untimeout: twurple.EventSubChannelSharedChatUntimeoutModerationEvent,
      shared_chat_delete: twurple.EventSubChannelSharedChatDeleteModerationEvent,
    },
  },
};
