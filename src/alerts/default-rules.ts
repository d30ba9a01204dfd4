/**
 * The built-in rules, written as `alerts.rules` entries are (and checked by the same schema): what
 * a streamer gets with no `alerts:` at all. They come after the file's own rules, so a rule of the
 * file wins; `alerts.defaults: false` drops them. Variations by amount come first (first match wins).
 * Images are the built-in icons of the overlay (`/overlay/media/builtin/…` is not used: these live
 * with the page under /overlay/assets/); the chime is a short generated tone.
 */
export const BUILTIN_MEDIA_PATH = '/overlay/assets/';

const icon = (name: string) => `${BUILTIN_MEDIA_PATH}${name}.svg`;
const CHIME = `${BUILTIN_MEDIA_PATH}chime.wav`;
const FANFARE = `${BUILTIN_MEDIA_PATH}fanfare.wav`;

/** A default rule: like a file entry, but its media are URL paths of the built-in assets. */
export interface DefaultRule {
  type: string;
  min?: Record<string, number>;
  title: string;
  message: string;
  duration?: number;
  image: string;
  sound: string;
}

export const DEFAULT_RULES: readonly DefaultRule[] = [
  {
    type: 'channel.follow',
    title: '{user} just followed!',
    message: 'Welcome to the community',
    image: icon('follow'),
    sound: CHIME,
  },
  {
    type: 'channel.subscribe',
    title: '{user} subscribed!',
    message: '{tier}',
    image: icon('sub'),
    sound: FANFARE,
  },
  {
    type: 'channel.subscription.message',
    min: { months: 2 },
    title: '{user} resubscribed for {months} months!',
    message: '{message}',
    image: icon('sub'),
    sound: FANFARE,
  },
  {
    type: 'channel.subscription.message',
    title: '{user} subscribed!',
    message: '{message}',
    image: icon('sub'),
    sound: FANFARE,
  },
  {
    type: 'channel.subscription.gift',
    min: { amount: 2 },
    title: '{user} gifted {amount} subs!',
    message: '{tier} gift subs to the community',
    duration: 8000,
    image: icon('gift'),
    sound: FANFARE,
  },
  {
    type: 'channel.subscription.gift',
    title: '{user} gifted a sub!',
    message: '{tier}',
    image: icon('gift'),
    sound: FANFARE,
  },
  {
    type: 'channel.cheer',
    min: { amount: 2 },
    title: '{user} cheered {amount} bits!',
    message: '{message}',
    image: icon('cheer'),
    sound: CHIME,
  },
  {
    type: 'channel.cheer',
    title: '{user} cheered 1 bit!',
    message: '{message}',
    image: icon('cheer'),
    sound: CHIME,
  },
  // Power-ups only: a channel.bits.use of type cheer is shown by the channel.cheer rules.
  {
    type: 'channel.bits.use',
    title: '{user} used {reward} for {bits}!',
    message: '{message}',
    image: icon('cheer'),
    sound: CHIME,
  },
  {
    type: 'channel.raid',
    min: { viewers: 2 },
    title: '{user} is raiding!',
    message: 'with {viewers} viewers',
    duration: 8000,
    image: icon('raid'),
    sound: FANFARE,
  },
  {
    type: 'channel.raid',
    title: '{user} is raiding!',
    message: 'with {viewers} viewer',
    duration: 8000,
    image: icon('raid'),
    sound: FANFARE,
  },
  {
    type: 'channel.channel_points_custom_reward_redemption.add',
    title: '{user} redeemed {reward}',
    message: '{message}',
    image: icon('points'),
    sound: CHIME,
  },
  {
    type: 'channel.hype_train.begin',
    title: 'A Hype Train has started!',
    message: 'Level {level}: {progress} / {goal}',
    duration: 8000,
    image: icon('hype'),
    sound: FANFARE,
  },
  {
    type: 'channel.hype_train.end',
    title: 'The Hype Train reached level {level}!',
    message: 'Thank you all: {total} points',
    duration: 8000,
    image: icon('hype'),
    sound: FANFARE,
  },
  {
    type: 'channel.charity_campaign.donate',
    title: '{user} donated {amount}!',
    message: 'to {charity}',
    image: icon('charity'),
    sound: FANFARE,
  },
];
