import { randomBytes } from 'node:crypto';
import type { CatalogEntry } from '../twitch/catalog-entry.js';
import type { EventDetail } from '../store/store.js';
import { MessageType, type MessageTypeValue } from '../twitch/headers.js';
import {
  sampleChallengeBody,
  sampleNotificationBody,
  sampleRevocationBody,
  type SampleOptions,
} from '../twitch/samples/messages.js';

/** One message `trigger` will sign and send. */
export interface PlannedMessage {
  messageType: MessageTypeValue;
  type: string;
  version: string;
  body: string;
  /** Set when the message id is given (a retrigger re-uses the stored one); new otherwise. */
  messageId?: string;
  /** For a challenge: the value the callback must echo. */
  challenge?: string;
}

export type TriggerKind = 'notification' | 'revocation' | 'challenge';

/** `count` messages of one kind built from the catalog's sample payload for `entry`. */
export function sampleMessages(
  entry: CatalogEntry,
  kind: TriggerKind,
  count: number,
  options: SampleOptions,
): PlannedMessage[] {
  return Array.from({ length: count }, () => {
    const base = { type: entry.type, version: entry.version };
    if (kind === 'challenge') {
      const challenge = randomBytes(16).toString('base64url');
      const body = JSON.stringify(sampleChallengeBody(entry, challenge, options));
      return { ...base, messageType: MessageType.verification, body, challenge };
    }
    if (kind === 'revocation')
      return {
        ...base,
        messageType: MessageType.revocation,
        body: JSON.stringify(sampleRevocationBody(entry, undefined, options)),
      };
    return {
      ...base,
      messageType: MessageType.notification,
      body: JSON.stringify(sampleNotificationBody(entry, options)),
    };
  });
}

/**
 * A stored event as Twitch would re-send it: the same message id and body (rebuilt from what was
 * stored), to be signed with a fresh timestamp. A batched event keeps its `events` array.
 */
export function storedMessage(detail: EventDetail): PlannedMessage {
  const { envelope } = detail;
  const event = envelope.event;
  const batch = event && Array.isArray(event.events) && Object.keys(event).length === 1;
  const payload =
    envelope.messageType === 'revocation'
      ? { subscription: envelope.subscription }
      : batch
        ? { subscription: envelope.subscription, events: event.events }
        : { subscription: envelope.subscription, event };
  return {
    messageType: envelope.messageType,
    type: envelope.type,
    version: envelope.version,
    body: JSON.stringify(payload),
    messageId: envelope.id,
  };
}
