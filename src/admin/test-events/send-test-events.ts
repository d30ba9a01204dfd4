import { buildWebhookRequest } from '../../twitch/webhook-request.js';
import { judgeAnswer, type TriggerResult } from './judge-answer.js';
import type { PlannedMessage } from './sample-messages.js';
import { sendWebhook } from './send-webhook.js';

/** Where to send and what to sign with: a relay's /callback and its EventSub secret. */
export interface TestTarget {
  url: string;
  secret: string;
}

/**
 * Signs each message as Twitch would (fresh timestamp, the message's id or a new one) and POSTs
 * it to the callback one after the other, judging each answer the way Twitch does.
 */
export async function sendTestMessages(
  target: TestTarget,
  messages: readonly PlannedMessage[],
  retrigger = false,
): Promise<TriggerResult[]> {
  const results: TriggerResult[] = [];
  for (const message of messages) {
    const request = buildWebhookRequest({
      secret: target.secret,
      messageType: message.messageType,
      body: message.body,
      subscriptionType: message.type,
      subscriptionVersion: message.version,
      ...(message.messageId && { messageId: message.messageId }),
    });
    const answer = await sendWebhook(target.url, request);
    results.push(judgeAnswer(message, request.messageId, answer, retrigger));
  }
  return results;
}
