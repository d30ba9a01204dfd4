// Channel events (Twitch docs, EventSub reference "Channel", "Goals", "Guest Star", "Shared Chat";
// channel.follow and channel.raid are Twitch's own docs examples, word for word).
import { who, type SampleTable } from './sample-kit.js';

const channel = (id: string) => who('broadcaster_user', id, 'cooler_user', 'Cooler_User');
const self = (id: string) => who('moderator_user', id, 'cooler_user', 'Cooler_User');
const other = who('host_broadcaster_user', '1234', 'cool_user', 'Cool_User');

const goal = (id: string) => ({
  id: '12345-cool-event',
  ...channel(id),
  type: 'follower',
  description: 'Road to 1000 followers!',
  current_amount: 990,
  target_amount: 1000,
  started_at: '2021-07-15T17:16:03.17106713Z',
});

const participants = (id: string) => [
  who('broadcaster', id, 'cooler_user', 'Cooler_User'),
  who('broadcaster', '1234', 'cool_user', 'Cool_User'),
];

export const CHANNEL_SAMPLES: SampleTable = {
  'channel.ad_break.begin@1': ({ broadcasterId }) => ({
    duration_seconds: 60,
    started_at: '2019-11-16T10:11:12.634234626Z',
    is_automatic: false,
    ...channel(broadcasterId),
    ...who('requester_user', broadcasterId, 'cooler_user', 'Cooler_User'),
  }),
  'channel.follow@2': ({ broadcasterId }) => ({
    ...who('user', '1234', 'cool_user', 'Cool_User'),
    ...channel(broadcasterId),
    followed_at: '2020-07-15T18:16:11.17106713Z',
  }),
  'channel.raid@1': ({ broadcasterId }) => ({
    ...who('from_broadcaster_user', '1234', 'cool_user', 'Cool_User'),
    ...who('to_broadcaster_user', broadcasterId, 'cooler_user', 'Cooler_User'),
    viewers: 9001,
  }),
  'channel.update@2': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    title: 'Best Stream Ever',
    language: 'en',
    category_id: '12453',
    category_name: 'Grand Theft Auto',
    content_classification_labels: ['MatureGame'],
  }),
  'channel.shoutout.create@1': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    ...self(broadcasterId),
    ...who('to_broadcaster_user', '626262', 'sandysanderman', 'SandySanderman'),
    started_at: '2022-07-26T17:00:03.17106713Z',
    viewer_count: 860,
    cooldown_ends_at: '2022-07-26T17:02:03.17106713Z',
    target_cooldown_ends_at: '2022-07-26T18:00:03.17106713Z',
  }),
  'channel.shoutout.receive@1': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    ...who('from_broadcaster_user', '12345', 'simplysimple', 'SimplySimple'),
    viewer_count: 860,
    started_at: '2022-07-26T17:00:03.17106713Z',
  }),
  'channel.shared_chat.begin@1': ({ broadcasterId }) => ({
    session_id: '2b64a92a-dbb8-424e-b1c3-304423ba1b6f',
    ...channel(broadcasterId),
    ...other,
    participants: participants(broadcasterId),
  }),
  'channel.shared_chat.update@1': ({ broadcasterId }) => ({
    session_id: '2b64a92a-dbb8-424e-b1c3-304423ba1b6f',
    ...channel(broadcasterId),
    ...other,
    participants: [...participants(broadcasterId), who('broadcaster', '332211', 'streamer11')],
  }),
  'channel.shared_chat.end@1': ({ broadcasterId }) => ({
    session_id: '2b64a92a-dbb8-424e-b1c3-304423ba1b6f',
    ...channel(broadcasterId),
    ...other,
  }),
  'channel.goal.begin@1': ({ broadcasterId }) => goal(broadcasterId),
  'channel.goal.progress@1': ({ broadcasterId }) => ({ ...goal(broadcasterId), current_amount: 995 }),
  'channel.goal.end@1': ({ broadcasterId }) => ({
    ...goal(broadcasterId),
    current_amount: 1000,
    is_achieved: true,
    ended_at: '2021-07-16T17:16:03.17106713Z',
  }),
  // Guest Star is in beta: twurple has no classes for it, handlers get the raw event.
  'channel.guest_star_session.begin@beta': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    session_id: '2KFRQbFtpmfyD3IevNRnCzOPRJI',
    started_at: '2023-04-11T16:20:03.17106713Z',
  }),
  'channel.guest_star_session.end@beta': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    session_id: '2KFRQbFtpmfyD3IevNRnCzOPRJI',
    started_at: '2023-04-11T16:20:03.17106713Z',
    ended_at: '2023-04-11T17:51:29.153485Z',
    ...who('host_user', broadcasterId, 'cooler_user', 'Cooler_User'),
  }),
  'channel.guest_star_guest.update@beta': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    session_id: '2KFRQbFtpmfyD3IevNRnCzOPRJI',
    ...self(broadcasterId),
    ...who('guest_user', '1234', 'cool_guest', 'Cool_Guest'),
    slot_id: '1',
    state: 'live',
    ...who('host_user', broadcasterId, 'cooler_user', 'Cooler_User'),
    host_video_enabled: true,
    host_audio_enabled: true,
    host_volume: 100,
  }),
  'channel.guest_star_settings.update@beta': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    is_moderator_send_live_enabled: true,
    slot_count: 5,
    is_browser_source_audio_enabled: true,
    group_layout: 'tiled',
  }),
};
