// From Twitch's Subscription Types table (dev.twitch.tv/docs/eventsub/eventsub-subscription-types),
// scopes per twitch_api's validators, twurple as cross-check. One row per type/version; keep it a table.
import type { AuthorizedBy, CatalogEntry } from './catalog-entry.js';

/**
 * c(type, version, 'field,field?', whose authorization, [[any of], [any of]], extras): `?` marks an
 * optional condition field; see AuthorizedBy for the authorization kinds.
 */
const c = (
  type: string,
  version: string,
  fields: string,
  authorizedBy: AuthorizedBy,
  scopes: string[][] = [],
  extras: Pick<CatalogEntry, 'batching' | 'note'> = {},
): CatalogEntry => ({
  type,
  version,
  condition: fields.split(',').map((f) => ({ name: f.replace('?', ''), optional: f.endsWith('?') })),
  authorizedBy,
  scopes,
  ...extras,
});

/**
 * Chat types over webhooks (app token): user:read:chat + user:bot from the chatting user (`user_id`),
 * and channel:bot from the broadcaster or moderator status (Twitch docs, channel.chat.message,
 * "Authorization").
 */
const chat = (type: string): CatalogEntry =>
  c(type, '1', 'broadcaster_user_id,user_id', 'user', [['user:read:chat'], ['user:bot']], {
    note: 'over webhooks also needs channel:bot from the broadcaster, unless the user_id user is a moderator of the channel',
  });

/** Every EventSub type Twitch delivers over webhooks. */
export const CATALOG: readonly CatalogEntry[] = [
  c('automod.message.hold', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:manage:automod'],
  ]),
  c('automod.message.hold', '2', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:manage:automod'],
  ]),
  c('automod.message.update', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:manage:automod'],
  ]),
  c('automod.message.update', '2', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:manage:automod'],
  ]),
  c('automod.settings.update', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:automod_settings'],
  ]),
  c('automod.terms.update', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:manage:automod'],
  ]),
  c('channel.ad_break.begin', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:ads', 'channel:manage:ads'],
  ]),
  c('channel.ban', '1', 'broadcaster_user_id', 'broadcaster', [['channel:moderate']]),
  c('channel.bits.use', '1', 'broadcaster_user_id', 'broadcaster', [['bits:read']]),
  c('channel.channel_points_automatic_reward_redemption.add', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:redemptions', 'channel:manage:redemptions'],
  ]),
  c('channel.channel_points_automatic_reward_redemption.add', '2', 'broadcaster_user_id', 'broadcaster', [
    ['channel:manage:redemptions', 'channel:read:redemptions'],
  ]),
  c('channel.channel_points_custom_reward.add', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:redemptions', 'channel:manage:redemptions'],
  ]),
  c('channel.channel_points_custom_reward.remove', '1', 'broadcaster_user_id,reward_id?', 'broadcaster', [
    ['channel:read:redemptions', 'channel:manage:redemptions'],
  ]),
  c('channel.channel_points_custom_reward.update', '1', 'broadcaster_user_id,reward_id?', 'broadcaster', [
    ['channel:read:redemptions', 'channel:manage:redemptions'],
  ]),
  c(
    'channel.channel_points_custom_reward_redemption.add',
    '1',
    'broadcaster_user_id,reward_id?',
    'broadcaster',
    [['channel:read:redemptions', 'channel:manage:redemptions']],
  ),
  c(
    'channel.channel_points_custom_reward_redemption.update',
    '1',
    'broadcaster_user_id,reward_id?',
    'broadcaster',
    [['channel:read:redemptions', 'channel:manage:redemptions']],
  ),
  c('channel.charity_campaign.donate', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:charity']]),
  c('channel.charity_campaign.progress', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:charity'],
  ]),
  c('channel.charity_campaign.start', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:charity']]),
  c('channel.charity_campaign.stop', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:charity']]),
  chat('channel.chat.clear'),
  chat('channel.chat.clear_user_messages'),
  chat('channel.chat.message'),
  chat('channel.chat.message_delete'),
  chat('channel.chat.notification'),
  chat('channel.chat.user_message_hold'),
  chat('channel.chat.user_message_update'),
  chat('channel.chat_settings.update'),
  c('channel.cheer', '1', 'broadcaster_user_id', 'broadcaster', [['bits:read']]),
  c('channel.custom_power_up_redemption.add', '1', 'broadcaster_user_id,reward_id?', 'broadcaster', [
    ['bits:read'],
  ]),
  c('channel.follow', '2', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:followers'],
  ]),
  c('channel.goal.begin', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:goals']]),
  c('channel.goal.end', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:goals']]),
  c('channel.goal.progress', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:goals']]),
  c('channel.guest_star_guest.update', 'beta', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    [
      'channel:read:guest_star',
      'channel:manage:guest_star',
      'moderator:read:guest_star',
      'moderator:manage:guest_star',
    ],
  ]),
  c('channel.guest_star_session.begin', 'beta', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    [
      'channel:read:guest_star',
      'channel:manage:guest_star',
      'moderator:read:guest_star',
      'moderator:manage:guest_star',
    ],
  ]),
  c('channel.guest_star_session.end', 'beta', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    [
      'channel:read:guest_star',
      'channel:manage:guest_star',
      'moderator:read:guest_star',
      'moderator:manage:guest_star',
    ],
  ]),
  c('channel.guest_star_settings.update', 'beta', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    [
      'channel:read:guest_star',
      'channel:manage:guest_star',
      'moderator:read:guest_star',
      'moderator:manage:guest_star',
    ],
  ]),
  c('channel.hype_train.begin', '2', 'broadcaster_user_id', 'broadcaster', [['channel:read:hype_train']]),
  c('channel.hype_train.end', '2', 'broadcaster_user_id', 'broadcaster', [['channel:read:hype_train']]),
  c('channel.hype_train.progress', '2', 'broadcaster_user_id', 'broadcaster', [['channel:read:hype_train']]),
  c('channel.moderate', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:blocked_terms', 'moderator:manage:blocked_terms'],
    ['moderator:read:chat_settings', 'moderator:manage:chat_settings'],
    ['moderator:read:unban_requests', 'moderator:manage:unban_requests'],
    ['moderator:read:banned_users', 'moderator:manage:banned_users'],
    ['moderator:read:chat_messages', 'moderator:manage:chat_messages'],
    ['moderator:read:moderators'],
    ['moderator:read:vips'],
  ]),
  c('channel.moderate', '2', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:blocked_terms', 'moderator:manage:blocked_terms'],
    ['moderator:read:chat_settings', 'moderator:manage:chat_settings'],
    ['moderator:read:unban_requests', 'moderator:manage:unban_requests'],
    ['moderator:read:banned_users', 'moderator:manage:banned_users'],
    ['moderator:read:chat_messages', 'moderator:manage:chat_messages'],
    ['moderator:read:moderators'],
    ['moderator:read:vips'],
    ['moderator:read:warnings', 'moderator:manage:warnings'],
  ]),
  c('channel.moderator.add', '1', 'broadcaster_user_id', 'broadcaster', [['moderation:read']]),
  c('channel.moderator.remove', '1', 'broadcaster_user_id', 'broadcaster', [['moderation:read']]),
  c('channel.poll.begin', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:polls', 'channel:manage:polls'],
  ]),
  c('channel.poll.end', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:polls', 'channel:manage:polls'],
  ]),
  c('channel.poll.progress', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:polls', 'channel:manage:polls'],
  ]),
  c('channel.prediction.begin', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:predictions', 'channel:manage:predictions'],
  ]),
  c('channel.prediction.end', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:predictions', 'channel:manage:predictions'],
  ]),
  c('channel.prediction.lock', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:predictions', 'channel:manage:predictions'],
  ]),
  c('channel.prediction.progress', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:predictions', 'channel:manage:predictions'],
  ]),
  c('channel.raid', '1', 'from_broadcaster_user_id?,to_broadcaster_user_id?', 'none'),
  c('channel.shared_chat.begin', '1', 'broadcaster_user_id', 'none'),
  c('channel.shared_chat.end', '1', 'broadcaster_user_id', 'none'),
  c('channel.shared_chat.update', '1', 'broadcaster_user_id', 'none'),
  c('channel.shield_mode.begin', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:shield_mode', 'moderator:manage:shield_mode'],
  ]),
  c('channel.shield_mode.end', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:shield_mode', 'moderator:manage:shield_mode'],
  ]),
  c('channel.shoutout.create', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:shoutouts', 'moderator:manage:shoutouts'],
  ]),
  c('channel.shoutout.receive', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:shoutouts', 'moderator:manage:shoutouts'],
  ]),
  c('channel.subscribe', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:subscriptions']]),
  c('channel.subscription.end', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:subscriptions']]),
  c('channel.subscription.gift', '1', 'broadcaster_user_id', 'broadcaster', [['channel:read:subscriptions']]),
  c('channel.subscription.message', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:subscriptions'],
  ]),
  c('channel.suspicious_user.message', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:suspicious_users'],
  ]),
  c('channel.suspicious_user.update', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:suspicious_users'],
  ]),
  c('channel.unban', '1', 'broadcaster_user_id', 'broadcaster', [['channel:moderate']]),
  c('channel.unban_request.create', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:unban_requests', 'moderator:manage:unban_requests'],
  ]),
  c('channel.unban_request.resolve', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:unban_requests', 'moderator:manage:unban_requests'],
  ]),
  c('channel.update', '2', 'broadcaster_user_id', 'none'),
  c('channel.vip.add', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:vips', 'channel:manage:vips'],
  ]),
  c('channel.vip.remove', '1', 'broadcaster_user_id', 'broadcaster', [
    ['channel:read:vips', 'channel:manage:vips'],
  ]),
  c('channel.warning.acknowledge', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:warnings', 'moderator:manage:warnings'],
  ]),
  c('channel.warning.send', '1', 'broadcaster_user_id,moderator_user_id', 'moderator', [
    ['moderator:read:warnings', 'moderator:manage:warnings'],
  ]),
  c('conduit.shard.disabled', '1', 'client_id,conduit_id?', 'app', [], {
    note: 'client_id must be ours (TWITCH_CLIENT_ID); with conduit_id, our client must own the conduit',
  }),
  c('drop.entitlement.grant', '1', 'organization_id,category_id?,campaign_id?', 'app', [], {
    batching: true,
    note: 'our client id must be owned by a member of the organization; created with is_batching_enabled: true',
  }),
  c('extension.bits_transaction.create', '1', 'extension_client_id', 'app', [], {
    note: "extension_client_id must be our client id (the extension's)",
  }),
  c('stream.offline', '1', 'broadcaster_user_id', 'none'),
  c('stream.online', '1', 'broadcaster_user_id', 'none'),
  c('user.authorization.grant', '1', 'client_id', 'app', [], {
    note: 'client_id must be ours (TWITCH_CLIENT_ID)',
  }),
  c('user.authorization.revoke', '1', 'client_id', 'app', [], {
    note: 'client_id must be ours (TWITCH_CLIENT_ID)',
  }),
  c('user.update', '1', 'user_id', 'none'),
  c('user.whisper.message', '1', 'user_id', 'user', [['user:read:whispers', 'user:manage:whispers']]),
];
