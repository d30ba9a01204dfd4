import type { Envelope } from './envelope.js';

type Fields = Record<string, unknown>;

/**
 * A value of the event as log text: strings without control characters (a stream title with a
 * newline must not forge a second log line) and at most 80 characters; numbers as they are.
 */
function text(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || value === '') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

const who = (e: Fields, prefix = 'user') =>
  text(e[`${prefix}_name`]) ?? text(e[`${prefix}_login`]) ?? text(e[`${prefix}_id`]) ?? 'someone';
const anonymousOr = (e: Fields, prefix = 'user') => (e.is_anonymous === true ? 'anonymous' : who(e, prefix));
const tier = (e: Fields) => (typeof e.tier === 'string' ? ` at tier ${Number(e.tier) / 1000}` : '');
const plural = (n: unknown, one: string, many: string) => `${text(n) ?? '?'} ${n === 1 ? one : many}`;
const nested = (e: Fields, key: string): Fields =>
  typeof e[key] === 'object' && e[key] !== null ? (e[key] as Fields) : {};
const titled = (what: string, verb: string) => (e: Fields) => `${what} "${text(e.title) ?? '?'}" ${verb}`;

/** One sentence per type people watch for; other types fall back to who did it. */
const GISTS: Record<string, (e: Fields) => string> = {
  'channel.follow': (e) => `${who(e)} followed`,
  'channel.subscribe': (e) => `${who(e)} subscribed${tier(e)}${e.is_gift === true ? ' (a gift)' : ''}`,
  'channel.subscription.gift': (e) => `${anonymousOr(e)} gifted ${plural(e.total, 'sub', 'subs')}${tier(e)}`,
  'channel.subscription.message': (e) =>
    `${who(e)} resubscribed${tier(e)}: ${plural(e.cumulative_months, 'month', 'months')} in total`,
  'channel.subscription.end': (e) => `${who(e)}'s subscription ended`,
  'channel.cheer': (e) => `${anonymousOr(e)} cheered ${plural(e.bits, 'bit', 'bits')}`,
  'channel.bits.use': (e) => `${who(e)} used ${plural(e.bits, 'bit', 'bits')}`,
  'channel.raid': (e) =>
    `${who(e, 'from_broadcaster_user')} raided ${who(e, 'to_broadcaster_user')} with ${plural(e.viewers, 'viewer', 'viewers')}`,
  'stream.online': (e) => `stream went live (${text(e.type) ?? 'live'})`,
  'stream.offline': () => 'stream went offline',
  'channel.update': (e) => `title "${text(e.title) ?? ''}", category ${text(e.category_name) ?? 'none'}`,
  'channel.ban': (e) =>
    `${who(e, 'moderator_user')} ${e.is_permanent === false ? 'timed out' : 'banned'} ${who(e)}`,
  'channel.unban': (e) => `${who(e, 'moderator_user')} unbanned ${who(e)}`,
  'channel.channel_points_custom_reward_redemption.add': (e) =>
    `${who(e)} redeemed "${text(nested(e, 'reward').title) ?? '?'}" for ${plural(nested(e, 'reward').cost, 'point', 'points')}`,
  // The text of a chat message is not logged by default (includeEvent shows it): only who wrote.
  'channel.chat.message': (e) => `${who(e, 'chatter_user')} wrote in chat`,
  'channel.chat.notification': (e) => `${who(e, 'chatter_user')}: ${text(e.notice_type) ?? 'notice'}`,
  'channel.poll.begin': titled('poll', 'began'),
  'channel.poll.end': titled('poll', 'ended'),
  'channel.prediction.begin': titled('prediction', 'began'),
  'channel.prediction.end': titled('prediction', 'ended'),
  'channel.hype_train.begin': (e) => `hype train began at level ${text(e.level) ?? '1'}`,
  'channel.hype_train.end': (e) => `hype train ended at level ${text(e.level) ?? '?'}`,
  'channel.moderator.add': (e) => `${who(e)} became a moderator`,
  'channel.moderator.remove': (e) => `${who(e)} is no longer a moderator`,
  'channel.vip.add': (e) => `${who(e)} became a VIP`,
  'channel.vip.remove': (e) => `${who(e)} is no longer a VIP`,
  'channel.shoutout.create': (e) => `shout-out to ${who(e, 'to_broadcaster_user')}`,
  'channel.shoutout.receive': (e) => `shout-out from ${who(e, 'from_broadcaster_user')}`,
  'channel.ad_break.begin': (e) => `ad break of ${text(e.duration_seconds) ?? '?'} s began`,
  'user.authorization.grant': (e) => `${who(e)} authorized this client id`,
  'user.authorization.revoke': (e) => `${who(e)} revoked this client id's authorization`,
};

/**
 * The gist of an event in a few words, for a person reading the log: who followed, subscribed,
 * cheered how many bits, raided with how many viewers; for a revocation, Twitch's reason.
 */
export function eventGist(envelope: Envelope): string {
  if (envelope.messageType === 'revocation') {
    return `Twitch revoked the subscription: ${text(envelope.subscription.status) ?? 'no reason given'}`;
  }
  const event = envelope.event ?? {};
  const gist = GISTS[envelope.type];
  if (gist) return gist(event);
  const actor = text(event.user_name) ?? text(event.user_login);
  return actor ? `by ${actor}` : envelope.type;
}

/** The broadcaster the event is about, as a person knows them (`Cool_User (1337)`), or undefined. */
export function broadcasterOf(envelope: Envelope): string | undefined {
  const event = envelope.event ?? {};
  const condition = (envelope.subscription.condition ?? {}) as Fields;
  const id = text(event.broadcaster_user_id) ?? text(condition.broadcaster_user_id);
  const name = text(event.broadcaster_user_name) ?? text(event.broadcaster_user_login);
  if (name && id) return `${name} (${id})`;
  return name ?? id;
}
