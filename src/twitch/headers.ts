/** Header names Twitch sends with every EventSub webhook request (lower-case, as Node exposes them). */
export const TwitchHeader = {
  messageId: 'twitch-eventsub-message-id',
  messageRetry: 'twitch-eventsub-message-retry',
  messageType: 'twitch-eventsub-message-type',
  messageSignature: 'twitch-eventsub-message-signature',
  messageTimestamp: 'twitch-eventsub-message-timestamp',
  subscriptionType: 'twitch-eventsub-subscription-type',
  subscriptionVersion: 'twitch-eventsub-subscription-version',
} as const;

/** Values of the Twitch-Eventsub-Message-Type header. */
export const MessageType = {
  verification: 'webhook_callback_verification',
  notification: 'notification',
  revocation: 'revocation',
} as const;

export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];
