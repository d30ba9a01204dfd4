/**
 * The alert for one stream event: a headline and a detail line, or null for a type the overlay does
 * not show. Plain text only (the page sets textContent, never HTML, so a user name cannot inject markup).
 */
const tierName = (tier) => ({ 1000: 'Tier 1', 2000: 'Tier 2', 3000: 'Tier 3' })[tier] ?? 'Prime';

export function alertText(type, event) {
  switch (type) {
    case 'channel.follow':
      return {
        kind: 'follow',
        title: `${event.user_name} just followed!`,
        detail: 'Welcome to the community',
      };
    case 'channel.subscribe':
      return event.is_gift
        ? null // the gift alert (channel.subscription.gift) already announced it
        : { kind: 'subscribe', title: `${event.user_name} subscribed!`, detail: tierName(event.tier) };
    case 'channel.cheer':
      return {
        kind: 'cheer',
        title: `${event.is_anonymous ? 'Anonymous' : event.user_name} cheered ${event.bits} bits!`,
        detail: event.message ?? '',
      };
    case 'channel.raid':
      return {
        kind: 'raid',
        title: `${event.from_broadcaster_user_name} is raiding!`,
        detail: `with ${event.viewers} viewers`,
      };
    case 'channel.subscription.gift':
      return {
        kind: 'gift',
        title: `${event.is_anonymous ? 'Anonymous' : event.user_name} gifted ${event.total} subs!`,
        detail: tierName(event.tier),
      };
    default:
      return null;
  }
}

export const ALERT_TYPES = [
  'channel.follow',
  'channel.subscribe',
  'channel.cheer',
  'channel.raid',
  'channel.subscription.gift',
];
