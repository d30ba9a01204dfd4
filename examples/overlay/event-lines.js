/**
 * One line of text per event for the recent-events widget, or null for a type it does not list.
 * Plain text only (the page sets textContent, never HTML); a cheer shows its amount, never the
 * message with its raw "Cheer100" tokens.
 */
const who = (event, prefix = 'user') =>
  event.is_anonymous ? 'Anonymous' : (event[`${prefix}_name`] ?? event[`${prefix}_login`] ?? 'Someone');
const tier = (value) => ({ 1000: 'Tier 1', 2000: 'Tier 2', 3000: 'Tier 3' })[value] ?? 'Prime';
const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;

export const RECENT_LINES = {
  'channel.follow': (e) => `${who(e)} followed`,
  'channel.subscribe': (e) => (e.is_gift ? null : `${who(e)} subscribed (${tier(e.tier)})`),
  'channel.subscription.message': (e) =>
    `${who(e)} resubscribed for ${plural(e.cumulative_months ?? 1, 'month', 'months')}`,
  'channel.subscription.gift': (e) => `${who(e)} gifted ${plural(e.total ?? 1, 'sub', 'subs')}`,
  'channel.cheer': (e) => `${who(e)} cheered ${plural(e.bits ?? 0, 'bit', 'bits')}`,
  'channel.bits.use': (e) => `${who(e)} used ${plural(e.bits ?? 0, 'bit', 'bits')}`,
  'channel.raid': (e) =>
    `${who(e, 'from_broadcaster_user')} raided with ${plural(e.viewers ?? 0, 'viewer', 'viewers')}`,
  'channel.channel_points_custom_reward_redemption.add': (e) =>
    `${who(e)} redeemed ${e.reward?.title ?? 'a reward'}`,
  'channel.hype_train.begin': (e) => `Hype Train level ${e.level ?? 1} started`,
  'channel.hype_train.end': (e) => `Hype Train ended at level ${e.level ?? 1}`,
  'channel.charity_campaign.donate': (e) => {
    const amount = e.amount ?? {};
    const value = (amount.value ?? 0) / 10 ** (amount.decimal_places ?? 0);
    return `${e.user_name ?? 'Someone'} donated ${value.toFixed(amount.decimal_places ?? 0)} ${amount.currency ?? ''}`.trim();
  },
};

/** Short names for the `types=` setting (`types=follow,cheer`); full type names work too. */
export const TYPE_ALIASES = {
  follow: 'channel.follow',
  sub: 'channel.subscribe',
  resub: 'channel.subscription.message',
  gift: 'channel.subscription.gift',
  cheer: 'channel.cheer',
  bits: 'channel.bits.use',
  raid: 'channel.raid',
  redemption: 'channel.channel_points_custom_reward_redemption.add',
  hypetrain: 'channel.hype_train.begin',
  charity: 'channel.charity_campaign.donate',
};
