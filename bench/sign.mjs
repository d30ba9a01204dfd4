// Builds a distinct channel.follow v2 notification exactly as Twitch sends it (~600 bytes, every
// Twitch header, a fresh message id, timestamp and HMAC signature for each request).
import { createHmac, randomUUID } from 'node:crypto';

export const BENCH_SECRET = 'bench-secret-0123456789abcdef';

let counter = 0;

export function signedFollow(secret = BENCH_SECRET) {
  const id = randomUUID();
  const timestamp = new Date().toISOString();
  const userId = String(100000 + (counter++ % 900000));
  const body = JSON.stringify({
    subscription: {
      id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4',
      type: 'channel.follow',
      version: '2',
      status: 'enabled',
      cost: 0,
      condition: { broadcaster_user_id: '1337', moderator_user_id: '1337' },
      transport: { method: 'webhook', callback: 'https://example.com/twitch/event/channel.follow.1337.1337' },
      created_at: '2019-11-16T10:11:12.634234626Z',
    },
    event: {
      user_id: userId,
      user_login: `cool_user_${userId}`,
      user_name: `Cool_User_${userId}`,
      broadcaster_user_id: '1337',
      broadcaster_user_login: 'cooler_user',
      broadcaster_user_name: 'Cooler_User',
      followed_at: timestamp,
    },
  });
  const signature =
    'sha256=' +
    createHmac('sha256', secret)
      .update(id + timestamp + body)
      .digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'twitch-eventsub-message-id': id,
      'twitch-eventsub-message-retry': '0',
      'twitch-eventsub-message-type': 'notification',
      'twitch-eventsub-message-signature': signature,
      'twitch-eventsub-message-timestamp': timestamp,
      'twitch-eventsub-subscription-type': 'channel.follow',
      'twitch-eventsub-subscription-version': '2',
    },
  };
}
