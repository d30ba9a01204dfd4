// Channel Points and Power-ups (Twitch docs, EventSub reference "Channel Points"; the redemption
// add sample is Twitch's own docs example, word for word).
import { who, type SampleTable } from './sample-kit.js';

const images = (name: string) => ({
  url_1x: `https://static-cdn.jtvnw.net/${name}-1.png`,
  url_2x: `https://static-cdn.jtvnw.net/${name}-2.png`,
  url_4x: `https://static-cdn.jtvnw.net/${name}-4.png`,
});

const reward = (broadcasterId: string) => ({
  id: '92af127c-7326-4483-a52b-b0da0be61c01',
  ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
  is_enabled: true,
  is_paused: false,
  is_in_stock: true,
  title: 'Cool Reward',
  cost: 100,
  prompt: 'reward prompt',
  is_user_input_required: true,
  should_redemptions_skip_request_queue: false,
  cooldown_expires_at: null,
  redemptions_redeemed_current_stream: null,
  max_per_stream: { is_enabled: true, value: 1000 },
  max_per_user_per_stream: { is_enabled: true, value: 1000 },
  global_cooldown: { is_enabled: true, seconds: 1000 },
  background_color: '#FA1ED2',
  image: images('image'),
  default_image: images('default'),
});

const redemption = (broadcasterId: string, status: string) => ({
  id: '17fa2df1-ad76-4804-bfa5-a40ef63efe63',
  ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
  ...who('user', '9001', 'cooler_user', 'Cooler_User'),
  user_input: 'pogchamp',
  status,
  reward: { id: '92af127c-7326-4483-a52b-b0da0be61c01', title: 'title', cost: 100, prompt: 'reward prompt' },
  redeemed_at: '2020-07-15T17:16:03.17106713Z',
});

export const CHANNEL_POINTS_SAMPLES: SampleTable = {
  'channel.channel_points_automatic_reward_redemption.add@1': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('user', '9001', 'cooler_user', 'Cooler_User'),
    id: 'f024099a-e0fe-4339-9a0a-a706fb59f353',
    reward: { type: 'send_highlighted_message', cost: 100, unlocked_emote: null },
    message: { text: 'Hello world! VoHiYo', emotes: [{ id: '81274', begin: 13, end: 18 }] },
    user_input: 'Hello world! VoHiYo',
    redeemed_at: '2024-02-23T21:14:34.260398045Z',
  }),
  'channel.channel_points_automatic_reward_redemption.add@2': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('user', '9001', 'cooler_user', 'Cooler_User'),
    id: 'f024099a-e0fe-4339-9a0a-a706fb59f353',
    reward: { type: 'send_highlighted_message', channel_points: 100, emote: null },
    message: {
      text: 'Hello world! VoHiYo',
      fragments: [
        { type: 'text', text: 'Hello world! ' },
        { type: 'emote', text: 'VoHiYo', emote: { id: '81274' } },
      ],
    },
    redeemed_at: '2024-08-12T21:14:34.260398045Z',
  }),
  'channel.channel_points_custom_reward.add@1': ({ broadcasterId }) => reward(broadcasterId),
  'channel.channel_points_custom_reward.update@1': ({ broadcasterId }) => ({
    ...reward(broadcasterId),
    cooldown_expires_at: '2019-11-16T10:11:12.634234626Z',
    redemptions_redeemed_current_stream: 123,
  }),
  'channel.channel_points_custom_reward.remove@1': ({ broadcasterId }) => ({
    ...reward(broadcasterId),
    cooldown_expires_at: '2019-11-16T10:11:12.634234626Z',
    redemptions_redeemed_current_stream: 123,
  }),
  'channel.channel_points_custom_reward_redemption.add@1': ({ broadcasterId }) =>
    redemption(broadcasterId, 'unfulfilled'),
  'channel.channel_points_custom_reward_redemption.update@1': ({ broadcasterId }) =>
    redemption(broadcasterId, 'fulfilled'),
  // Twitch's reference page for this type could not be read here: the shape follows the custom
  // reward redemption above, with the Bits a viewer paid (twurple has no class for it yet).
  'channel.custom_power_up_redemption.add@1': ({ broadcasterId }) => ({
    id: 'b0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('user', '9001', 'cooler_user', 'Cooler_User'),
    user_input: 'pogchamp',
    reward: { id: '92af127c-7326-4483-a52b-b0da0be61c01', title: 'Cool Power-up', bits: 100, prompt: '' },
    redeemed_at: '2025-06-01T17:16:03.17106713Z',
  }),
};
