// Polls and Predictions (Twitch docs, EventSub reference "Polls" and "Predictions").
import { who, type SampleTable } from './sample-kit.js';

const channel = (id: string) => who('broadcaster_user', id, 'cool_user', 'Cool_User');
const title = 'Aren’t shoes just really hard socks?';
const voting = {
  bits_voting: { is_enabled: true, amount_per_vote: 10 },
  channel_points_voting: { is_enabled: true, amount_per_vote: 10 },
};
const choice = (id: string, name: string, bits: number, points: number) => ({
  id,
  title: name,
  bits_votes: bits,
  channel_points_votes: points,
  votes: bits + points,
});
const predictor = (id: string, login: string, won: number | null, used: number) => ({
  ...who('user', id, login, login[0]!.toUpperCase() + login.slice(1)),
  channel_points_won: won,
  channel_points_used: used,
});
const outcomes = (won: number | null) => [
  {
    id: '1243456',
    title: 'Yeah!',
    color: 'blue',
    users: 2,
    channel_points: 15000,
    top_predictors: [predictor('1234', 'cool_user', won && 10000, 500)],
  },
  {
    id: '2243456',
    title: 'No!',
    color: 'pink',
    users: 1,
    channel_points: 5000,
    top_predictors: [predictor('12345', 'cooler_user', null, 5000)],
  },
];

export const POLL_SAMPLES: SampleTable = {
  'channel.poll.begin@1': ({ broadcasterId }) => ({
    id: '1243456',
    ...channel(broadcasterId),
    title,
    choices: [
      { id: '123', title: 'Yeah!' },
      { id: '124', title: 'No!' },
    ],
    ...voting,
    started_at: '2020-07-15T17:16:03.17106713Z',
    ends_at: '2020-07-15T17:16:08.17106713Z',
  }),
  'channel.poll.progress@1': ({ broadcasterId }) => ({
    id: '1243456',
    ...channel(broadcasterId),
    title,
    choices: [choice('123', 'Yeah!', 5, 7), choice('124', 'No!', 10, 4)],
    ...voting,
    started_at: '2020-07-15T17:16:03.17106713Z',
    ends_at: '2020-07-15T17:16:08.17106713Z',
  }),
  'channel.poll.end@1': ({ broadcasterId }) => ({
    id: '1243456',
    ...channel(broadcasterId),
    title,
    choices: [choice('123', 'Yeah!', 50, 70), choice('124', 'No!', 100, 40)],
    ...voting,
    status: 'completed',
    started_at: '2020-07-15T17:16:03.17106713Z',
    ended_at: '2020-07-15T17:16:11.17106713Z',
  }),
  'channel.prediction.begin@1': ({ broadcasterId }) => ({
    id: '1243456',
    ...channel(broadcasterId),
    title,
    outcomes: [
      { id: '1243456', title: 'Yeah!', color: 'blue' },
      { id: '2243456', title: 'No!', color: 'pink' },
    ],
    started_at: '2020-07-15T17:16:03.17106713Z',
    locks_at: '2020-07-15T17:21:03.17106713Z',
  }),
  'channel.prediction.progress@1': ({ broadcasterId }) => ({
    id: '1243456',
    ...channel(broadcasterId),
    title,
    outcomes: outcomes(null),
    started_at: '2020-07-15T17:16:03.17106713Z',
    locks_at: '2020-07-15T17:21:03.17106713Z',
  }),
  'channel.prediction.lock@1': ({ broadcasterId }) => ({
    id: '1243456',
    ...channel(broadcasterId),
    title,
    outcomes: outcomes(null),
    started_at: '2020-07-15T17:16:03.17106713Z',
    locked_at: '2020-07-15T17:21:03.17106713Z',
  }),
  'channel.prediction.end@1': ({ broadcasterId }) => ({
    id: '1243456',
    ...channel(broadcasterId),
    title,
    winning_outcome_id: '1243456',
    outcomes: outcomes(10000),
    status: 'resolved',
    started_at: '2020-07-15T17:16:03.17106713Z',
    ended_at: '2020-07-15T17:16:11.17106713Z',
  }),
};
