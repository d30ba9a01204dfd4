import type { EventDetail } from '../../../store/store.js';
import { rawPayloadOf } from '../../../twitch/envelope-json.js';
import type { PlannedMessage } from '../../../admin/test-events/sample-messages.js';

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
