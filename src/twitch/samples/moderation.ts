// Moderation events (Twitch docs, EventSub reference "Moderation"; channel.ban is Twitch's own docs
// example, word for word). Where the condition has moderator_user_id it is the broadcaster.
import { textMessage, who, type SampleTable } from './sample-kit.js';

const channel = (id: string) => who('broadcaster_user', id, 'cooler_user', 'Cooler_User');
const viewer = who('user', '1234', 'cool_user', 'Cool_User');
const moderator = who('moderator_user', '1339', 'mod_user', 'Mod_User');
const self = (id: string) => who('moderator_user', id, 'cooler_user', 'Cooler_User');

/** channel.moderate: every action's object is present and null except the one of `action`. */
function moderate(broadcasterId: string, version: '1' | '2'): Record<string, unknown> {
  const actions = [
    ...['followers', 'slow', 'vip', 'unvip', 'mod', 'unmod', 'ban', 'unban', 'timeout', 'untimeout'],
    ...['raid', 'unraid', 'delete', 'automod_terms', 'unban_request', ...(version === '2' ? ['warn'] : [])],
    ...['shared_chat_ban', 'shared_chat_unban', 'shared_chat_timeout', 'shared_chat_untimeout'],
    'shared_chat_delete',
  ];
  return {
    ...channel(broadcasterId),
    source_broadcaster_user_id: null,
    source_broadcaster_user_login: null,
    source_broadcaster_user_name: null,
    ...self(broadcasterId),
    action: 'timeout',
    ...Object.fromEntries(actions.map((action) => [action, null])),
    timeout: { ...viewer, reason: 'Offensive language', expires_at: '2024-11-27T18:12:43.640505703Z' },
  };
}

export const MODERATION_SAMPLES: SampleTable = {
  'channel.ban@1': ({ broadcasterId }) => ({
    ...viewer,
    ...channel(broadcasterId),
    ...moderator,
    reason: 'Offensive language',
    banned_at: '2020-07-15T18:15:11.17106713Z',
    ends_at: '2020-07-15T18:16:11.17106713Z',
    is_permanent: false,
  }),
  'channel.unban@1': ({ broadcasterId }) => ({ ...viewer, ...channel(broadcasterId), ...moderator }),
  'channel.moderate@1': ({ broadcasterId }) => moderate(broadcasterId, '1'),
  'channel.moderate@2': ({ broadcasterId }) => moderate(broadcasterId, '2'),
  'channel.moderator.add@1': ({ broadcasterId }) => ({
    ...who('user', '1234', 'mod_user', 'Mod_User'),
    ...channel(broadcasterId),
  }),
  'channel.moderator.remove@1': ({ broadcasterId }) => ({
    ...who('user', '1234', 'not_mod_user', 'Not_Mod_User'),
    ...channel(broadcasterId),
  }),
  'channel.vip.add@1': ({ broadcasterId }) => ({
    ...who('user', '1234', 'vip_user', 'Vip_User'),
    ...channel(broadcasterId),
  }),
  'channel.vip.remove@1': ({ broadcasterId }) => ({
    ...who('user', '1234', 'vip_user', 'Vip_User'),
    ...channel(broadcasterId),
  }),
  'channel.warning.acknowledge@1': ({ broadcasterId }) => ({ ...channel(broadcasterId), ...viewer }),
  'channel.warning.send@1': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    ...self(broadcasterId),
    ...viewer,
    reason: 'cut it out',
    chat_rules_cited: null,
  }),
  'channel.unban_request.create@1': ({ broadcasterId }) => ({
    id: '60',
    ...channel(broadcasterId),
    ...who('user', '1339', 'not_cool_user', 'Not_Cool_User'),
    text: 'unban me',
    created_at: '2023-11-16T10:11:12.634234626Z',
  }),
  'channel.unban_request.resolve@1': ({ broadcasterId }) => ({
    id: '60',
    ...channel(broadcasterId),
    ...self(broadcasterId),
    ...who('user', '1339', 'not_cool_user', 'Not_Cool_User'),
    resolution_text: 'no',
    status: 'denied',
  }),
  'channel.shield_mode.begin@1': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    ...self(broadcasterId),
    started_at: '2022-07-26T17:00:03.17106713Z',
  }),
  'channel.shield_mode.end@1': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    ...self(broadcasterId),
    ended_at: '2022-07-27T01:30:23.17106713Z',
  }),
  'channel.suspicious_user.message@1': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    ...viewer,
    low_trust_status: 'active_monitoring',
    shared_ban_channel_ids: ['100', '200'],
    types: ['ban_evader'],
    ban_evasion_evaluation: 'likely',
    message: { message_id: '101010', ...textMessage('bad stuff') },
  }),
  'channel.suspicious_user.update@1': ({ broadcasterId }) => ({
    ...channel(broadcasterId),
    ...self(broadcasterId),
    ...viewer,
    low_trust_status: 'restricted',
  }),
};
