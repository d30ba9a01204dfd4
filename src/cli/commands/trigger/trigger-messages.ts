import { randomBytes } from 'node:crypto';
import type { CatalogEntry } from '../../../twitch/catalog-entry.js';
import type { EventDetail } from '../../../store/store.js';
import { rawPayloadOf } from '../../../twitch/envelope-json.js';
import { MessageType, type MessageTypeValue } from '../../../twitch/headers.js';
import {
  sampleChallengeBody,
  sampleNotificationBody,
  sampleRevocationBody,
  type SampleOptions,
} from '../../../twitch/samples/messages.js';

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
 * A stored event as Twitch would re-send it: the same message id and the `subscription` and
 * `event` text exactly as received, to be signed with a fresh timestamp. A batched event
 * (`{"events": …}`) goes back as Twitch's `events` member.
 */
export function storedMessage(detail: EventDetail): PlannedMessage {
  const { envelope } = detail;
  const raw = rawPayloadOf(envelope);
  const batch =
    envelope.event !== null &&
    Array.isArray(envelope.event.events) &&
    Object.keys(envelope.event).length === 1;
  const body =
    raw.event === null
      ? `{"subscription":${raw.subscription}}`
      : batch
        ? `{"subscription":${raw.subscription},"events":${batchText(raw.event, envelope.event!.events)}}`
        : `{"subscription":${raw.subscription},"event":${raw.event}}`;
  return {
    messageType: envelope.messageType,
    type: envelope.type,
    version: envelope.version,
    body,
    messageId: envelope.id,
  };
}

/** The `events` text of a batch as received (the receiver stores it wrapped as `{"events":…}`). */
function batchText(rawEvent: string, events: unknown): string {
  const prefix = '{"events":';
  return rawEvent.startsWith(prefix) && rawEvent.endsWith('}')
    ? rawEvent.slice(prefix.length, -1)
    : JSON.stringify(events);
}
