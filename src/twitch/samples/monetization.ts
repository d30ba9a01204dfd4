// Bits, subscriptions, Hype Trains and charity (Twitch docs, EventSub reference; channel.cheer,
// channel.subscribe and channel.subscription.gift are Twitch's own docs examples, word for word).
import { who, type SampleTable } from './sample-kit.js';

const channel = (id: string) => who('broadcaster_user', id, 'cooler_user', 'Cooler_User');
const viewer = who('user', '1234', 'cool_user', 'Cool_User');

const train = (id: string) => ({
  id: '1b0AsbInCHZW2SQFQkCzqN07Ib2',
  ...channel(id),
  total: 137,
  top_contributions: [{ ...who('user', '123', 'pogchamp', 'PogChamp'), type: 'bits', total: 50 }],
  shared_train_participants: null,
  level: 1,
  started_at: '2020-07-15T17:16:03.17106713Z',
  is_shared_train: false,
  type: 'regular',
});

// The docs example of channel.charity_campaign.donate names the broadcaster broadcaster_user_*; the
// campaign events name it broadcaster_* (twurple reads broadcaster_* for all four).
const campaign = (id: string) => ({
  id: '123-abc-456-def',
  ...who('broadcaster', id, 'cooler_user', 'Cooler_User'),
  charity_name: 'Example name',
  charity_description: 'Example description',
  charity_logo: 'https://abc.cloudfront.net/ppgf/1000/100.png',
  charity_website: 'https://www.example.com',
});
const usd = (value: number) => ({ value, decimal_places: 2, currency: 'USD' });

export const MONETIZATION_SAMPLES: SampleTable = {
  'channel.bits.use@1': ({ broadcasterId }) => ({
    ...viewer,
    ...channel(broadcasterId),
    bits: 2,
    type: 'cheer',
    power_up: null,
    message: {
      text: 'cheer1 hi cheer1',
      fragments: [
        { type: 'cheermote', text: 'cheer1', cheermote: { prefix: 'cheer', bits: 1, tier: 1 }, emote: null },
        { type: 'text', text: ' hi ', cheermote: null, emote: null },
        { type: 'cheermote', text: 'cheer1', cheermote: { prefix: 'cheer', bits: 1, tier: 1 }, emote: null },
      ],
    },
  }),
  'channel.cheer@1': ({ broadcasterId }) => ({
    is_anonymous: false,
    ...viewer,
    ...channel(broadcasterId),
    message: 'pogchamp',
    bits: 1000,
  }),
  'channel.subscribe@1': ({ broadcasterId }) => ({
    ...viewer,
    ...channel(broadcasterId),
    tier: '1000',
    is_gift: false,
  }),
  'channel.subscription.end@1': ({ broadcasterId }) => ({
    ...viewer,
    ...channel(broadcasterId),
    tier: '1000',
    is_gift: false,
  }),
  'channel.subscription.gift@1': ({ broadcasterId }) => ({
    ...viewer,
    ...channel(broadcasterId),
    total: 2,
    tier: '1000',
    cumulative_total: 284,
    is_anonymous: false,
  }),
  'channel.subscription.message@1': ({ broadcasterId }) => ({
    ...viewer,
    ...channel(broadcasterId),
    tier: '1000',
    message: { text: 'Love the stream! FevziGG', emotes: [{ begin: 17, end: 23, id: '302976485' }] },
    cumulative_months: 15,
    streak_months: 1,
    duration_months: 6,
  }),
  'channel.hype_train.begin@2': ({ broadcasterId }) => ({
    ...train(broadcasterId),
    progress: 137,
    goal: 500,
    expires_at: '2020-07-15T17:16:11.17106713Z',
    all_time_high_level: 4,
    all_time_high_total: 2845,
  }),
  'channel.hype_train.progress@2': ({ broadcasterId }) => ({
    ...train(broadcasterId),
    progress: 137,
    goal: 500,
    expires_at: '2020-07-15T17:16:11.17106713Z',
  }),
  'channel.hype_train.end@2': ({ broadcasterId }) => ({
    ...train(broadcasterId),
    ended_at: '2020-07-15T17:16:11.17106713Z',
    cooldown_ends_at: '2020-07-16T17:16:11.17106713Z',
  }),
  'channel.charity_campaign.donate@1': ({ broadcasterId }) => ({
    id: 'a1b2c3-aabb-4455-d1e2f3',
    campaign_id: '123-abc-456-def',
    ...channel(broadcasterId),
    ...who('user', '654321', 'generoususer1', 'GenerousUser1'),
    charity_name: 'Example name',
    charity_description: 'Example description',
    charity_logo: 'https://abc.cloudfront.net/ppgf/1000/100.png',
    charity_website: 'https://www.example.com',
    amount: usd(10000),
  }),
  'channel.charity_campaign.start@1': ({ broadcasterId }) => ({
    ...campaign(broadcasterId),
    current_amount: usd(0),
    target_amount: usd(1500000),
    started_at: '2022-07-26T17:00:03.17106713Z',
  }),
  'channel.charity_campaign.progress@1': ({ broadcasterId }) => ({
    ...campaign(broadcasterId),
    current_amount: usd(260000),
    target_amount: usd(1500000),
  }),
  'channel.charity_campaign.stop@1': ({ broadcasterId }) => ({
    ...campaign(broadcasterId),
    current_amount: usd(1450000),
    target_amount: usd(1500000),
    stopped_at: '2022-07-26T22:00:03.17106713Z',
  }),
};
