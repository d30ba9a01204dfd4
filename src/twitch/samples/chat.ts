// Chat events (Twitch docs, EventSub reference "Chat"; channel.chat.message is Twitch's own docs
// example, word for word). The chat.notification sample is a resub; chat.* events read chat as the
// broadcaster (condition user_id).
import { who, type SampleTable } from './sample-kit.js';

const broadcaster = (id: string) => who('broadcaster_user', id, 'cool_user', 'Cool_User');
const target = who('target_user', '7734', 'uncool_viewer', 'Uncool_viewer');
const noSource = {
  source_broadcaster_user_id: null,
  source_broadcaster_user_login: null,
  source_broadcaster_user_name: null,
  source_message_id: null,
  source_badges: null,
};
const heldMessage = {
  text: 'hey world Cheer100',
  fragments: [
    { type: 'text', text: 'hey world ', cheermote: null, emote: null },
    { type: 'cheermote', text: 'Cheer100', cheermote: { prefix: 'cheer', bits: 100, tier: 1 }, emote: null },
  ],
};

export const CHAT_SAMPLES: SampleTable = {
  'channel.chat.clear@1': ({ broadcasterId }) => broadcaster(broadcasterId),
  'channel.chat.clear_user_messages@1': ({ broadcasterId }) => ({ ...broadcaster(broadcasterId), ...target }),
  'channel.chat.message@1': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'streamer'),
    ...who('chatter_user', '4145994', 'viewer32'),
    message_id: 'cc106a89-1814-919d-454c-f4f2f970aae7',
    message: {
      text: 'Hi chat',
      fragments: [{ type: 'text', text: 'Hi chat', cheermote: null, emote: null, mention: null }],
    },
    color: '#00FF7F',
    badges: [
      { set_id: 'moderator', id: '1', info: '' },
      { set_id: 'subscriber', id: '12', info: '16' },
      { set_id: 'sub-gifter', id: '1', info: '' },
    ],
    message_type: 'text',
    cheer: null,
    reply: null,
    channel_points_custom_reward_id: null,
    ...noSource,
  }),
  'channel.chat.message_delete@1': ({ broadcasterId }) => ({
    ...broadcaster(broadcasterId),
    ...target,
    message_id: 'ab24e0b0-2260-4bac-94e4-05eedd4ecd0e',
  }),
  'channel.chat.notification@1': ({ broadcasterId }) => ({
    ...broadcaster(broadcasterId),
    ...who('chatter_user', '1234', 'cool_viewer', 'Cool_Viewer'),
    chatter_is_anonymous: false,
    color: '#E20072',
    badges: [{ set_id: 'subscriber', id: '12', info: '13' }],
    system_message: 'Cool_Viewer subscribed at Tier 1. They have subscribed for 13 months!',
    message_id: '5dfe4963-9db8-44a9-9f69-27452aaaaa30',
    message: {
      text: 'Still here!',
      fragments: [{ type: 'text', text: 'Still here!', cheermote: null, emote: null, mention: null }],
    },
    notice_type: 'resub',
    sub: null,
    resub: {
      cumulative_months: 13,
      duration_months: 0,
      streak_months: 13,
      sub_tier: '1000',
      is_prime: false,
      is_gift: false,
      gifter_is_anonymous: null,
      gifter_user_id: null,
      gifter_user_name: null,
      gifter_user_login: null,
    },
    sub_gift: null,
    community_sub_gift: null,
    gift_paid_upgrade: null,
    prime_paid_upgrade: null,
    pay_it_forward: null,
    raid: null,
    unraid: null,
    announcement: null,
    bits_badge_tier: null,
    charity_donation: null,
    ...noSource,
  }),
  'channel.chat.user_message_hold@1': ({ broadcasterId }) => ({
    ...broadcaster(broadcasterId),
    ...who('user', '456', 'tom', 'Tommy'),
    message_id: '789',
    message: heldMessage,
  }),
  'channel.chat.user_message_update@1': ({ broadcasterId }) => ({
    ...broadcaster(broadcasterId),
    ...who('user', '456', 'tom', 'Tommy'),
    status: 'approved',
    message_id: '789',
    message: heldMessage,
  }),
  'channel.chat_settings.update@1': ({ broadcasterId }) => ({
    ...broadcaster(broadcasterId),
    emote_mode: true,
    follower_mode: false,
    follower_mode_duration_minutes: null,
    slow_mode: true,
    slow_mode_wait_time_seconds: 10,
    subscriber_mode: false,
    unique_chat_mode: false,
  }),
};
