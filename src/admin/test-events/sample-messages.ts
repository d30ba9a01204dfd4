import { randomBytes } from 'node:crypto';
import type { CatalogEntry } from '../../twitch/catalog-entry.js';
import { MessageType, type MessageTypeValue } from '../../twitch/headers.js';
import {
  sampleChallengeBody,
  sampleNotificationBody,
  sampleRevocationBody,
  type SampleOptions,
} from '../../twitch/samples/messages.js';

/** One message to sign and send to a callback (`trigger`, the dashboard's Test page). */
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
