// AutoMod events (Twitch docs, EventSub reference "AutoMod"): the moderator is the broadcaster.
import { textMessage, who, type SampleTable } from './sample-kit.js';

const heldMessage = textMessage('this is a held message');
const boundaries = [{ start_pos: 10, end_pos: 13 }];

export const AUTOMOD_SAMPLES: SampleTable = {
  'automod.message.hold@1': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('user', '1234', 'uncool_viewer', 'Uncool_Viewer'),
    message_id: 'bad-message-id',
    message: heldMessage,
    category: 'aggressive',
    level: 1,
    held_at: '2022-12-02T15:00:00.00Z',
  }),
  'automod.message.hold@2': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('user', '1234', 'uncool_viewer', 'Uncool_Viewer'),
    message_id: 'bad-message-id',
    message: heldMessage,
    reason: 'automod',
    automod: { category: 'aggressive', level: 1, boundaries },
    blocked_term: null,
    held_at: '2022-12-02T15:00:00.00Z',
  }),
  'automod.message.update@1': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('user', '1234', 'uncool_viewer', 'Uncool_Viewer'),
    ...who('moderator_user', broadcasterId, 'cool_user', 'Cool_User'),
    message_id: 'bad-message-id',
    message: heldMessage,
    category: 'aggressive',
    level: 1,
    status: 'approved',
    held_at: '2022-12-02T15:00:00.00Z',
  }),
  'automod.message.update@2': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('user', '1234', 'uncool_viewer', 'Uncool_Viewer'),
    ...who('moderator_user', broadcasterId, 'cool_user', 'Cool_User'),
    message_id: 'bad-message-id',
    message: heldMessage,
    reason: 'automod',
    automod: { category: 'aggressive', level: 1, boundaries },
    blocked_term: null,
    status: 'denied',
    held_at: '2022-12-02T15:00:00.00Z',
  }),
  'automod.settings.update@1': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('moderator_user', broadcasterId, 'cool_user', 'Cool_User'),
    overall_level: null,
    bullying: 1,
    disability: 0,
    race_ethnicity_or_religion: 2,
    misogyny: 0,
    sexuality_sex_or_gender: 2,
    aggression: 3,
    sex_based_terms: 0,
    swearing: 4,
  }),
  'automod.terms.update@1': ({ broadcasterId }) => ({
    ...who('broadcaster_user', broadcasterId, 'cool_user', 'Cool_User'),
    ...who('moderator_user', broadcasterId, 'cool_user', 'Cool_User'),
    action: 'add_blocked',
    from_automod: false,
    terms: ['bad-word'],
  }),
};
