// Streams, users, applications (Twitch docs, EventSub reference "Stream", "User", "Conduit",
// "Drop", "Extension"; stream.online/offline and user.authorization.revoke are Twitch's own docs
// examples, word for word).
import { who, type SampleTable } from './sample-kit.js';

const channel = (id: string) => who('broadcaster_user', id, 'cool_user', 'Cool_User');

export const PLATFORM_SAMPLES: SampleTable = {
  'stream.online@1': ({ broadcasterId }) => ({
    id: '9001',
    ...channel(broadcasterId),
    type: 'live',
    started_at: '2020-10-11T10:11:12.123Z',
  }),
  'stream.offline@1': ({ broadcasterId }) => channel(broadcasterId),
  'user.update@1': ({ broadcasterId }) => ({
    ...who('user', broadcasterId, 'cool_user', 'Cool_User'),
    email: 'user@email.com',
    email_verified: true,
    description: 'cool description',
  }),
  'user.authorization.grant@1': ({ broadcasterId, clientId }) => ({
    client_id: clientId,
    ...who('user', broadcasterId, 'cool_user', 'Cool_User'),
  }),
  'user.authorization.revoke@1': ({ broadcasterId, clientId }) => ({
    client_id: clientId,
    ...who('user', broadcasterId, 'cool_user', 'Cool_User'),
  }),
  // The condition's user_id is the recipient (whose whispers are read).
  'user.whisper.message@1': ({ broadcasterId }) => ({
    ...who('from_user', '423374343', 'glowillig'),
    ...who('to_user', broadcasterId, 'cool_user', 'Cool_User'),
    whisper_id: 'some-whisper-id',
    whisper: { text: 'a secret' },
  }),
  'conduit.shard.disabled@1': () => ({
    conduit_id: 'bfcfc993-26b1-b876-44d9-afe75a379dac',
    shard_id: '4',
    status: 'websocket_disconnected',
    transport: {
      method: 'websocket',
      session_id: 'ad1c9fc3-0d99-4eb7-8a04-8608e8ff9ec9',
      connected_at: '2020-11-10T14:32:18.730260295Z',
      disconnected_at: '2020-11-11T14:32:18.730260295Z',
    },
  }),
  // Batched: Twitch sends `events: [{ id, data }]`; this is one entitlement's `data`.
  'drop.entitlement.grant@1': ({ broadcasterId }) => ({
    organization_id: '9001',
    category_id: '9002',
    category_name: 'Fortnite',
    campaign_id: '9003',
    ...who('user', broadcasterId, 'cool_user', 'Cool_User'),
    entitlement_id: 'fb78259e-fb81-4d1b-8333-34a06ffc24c0',
    benefit_id: '74c52265-e214-48a6-91b9-23b6014e8041',
    created_at: '2019-01-28T04:17:53.325Z',
  }),
  'extension.bits_transaction.create@1': ({ broadcasterId, clientId }) => ({
    id: 'bits-tx-id',
    extension_client_id: clientId,
    ...channel(broadcasterId),
    ...who('user', '1236', 'coolest_user', 'Coolest_User'),
    product: { name: 'great_product', sku: 'skuskusku', bits: 1234, in_development: false },
  }),
};
