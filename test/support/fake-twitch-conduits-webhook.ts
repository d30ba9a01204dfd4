import { randomBytes, randomUUID } from 'node:crypto';
import { buildWebhookRequest } from '../../src/twitch/webhook-request.js';
import type { DeliveryPolicy } from './fake-twitch-callbacks.js';
import type { FakeSubscription } from './fake-twitch.js';

/** One signed POST to a shard's callback; the answer's status and text, or undefined on no answer. */
async function post(
  callback: string,
  request: ReturnType<typeof buildWebhookRequest>,
  timeoutMs: number,
): Promise<{ status: number; text: string } | undefined> {
  try {
    const response = await fetch(callback, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual', // Twitch follows no redirects
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  } catch {
    return undefined;
  }
}

/**
 * A webhook shard's challenge: `{challenge, conduit_shard: {conduit_id, shard}}` with no
 * `subscription` (https://dev.twitch.tv/docs/eventsub/handling-conduit-events/, "Verifying a
 * conduit"), signed with the shard's secret. The docs show no subscription headers for it: the
 * fake sends none. True when the callback answers 200 with exactly the challenge.
 */
export async function challengeShard(
  conduitId: string,
  shard: string,
  callback: string,
  secret: string,
  policy: DeliveryPolicy,
): Promise<boolean> {
  const challenge = randomBytes(24).toString('base64url');
  const request = buildWebhookRequest({
    secret,
    messageType: 'webhook_callback_verification',
    body: JSON.stringify({ challenge, conduit_shard: { conduit_id: conduitId, shard } }),
    subscriptionType: '',
    subscriptionVersion: '',
    messageId: randomUUID(),
  });
  delete (request.headers as Record<string, string>)['Twitch-Eventsub-Subscription-Type'];
  delete (request.headers as Record<string, string>)['Twitch-Eventsub-Subscription-Version'];
  const answer = await post(callback, request, policy.timeoutMs);
  return answer?.status === 200 && answer.text === challenge;
}

/**
 * A notification to a webhook shard, with Twitch's retries (same message id, the policy's
 * schedule). True once a 2xx came back; false when every attempt failed.
 */
export async function deliverToShard(
  callback: string,
  secret: string,
  sub: FakeSubscription,
  event: Record<string, unknown>,
  messageId: string,
  policy: DeliveryPolicy,
): Promise<boolean> {
  const body = JSON.stringify({ subscription: sub, event });
  for (let retry = 0; retry < policy.attempts; retry++) {
    if (retry > 0) await new Promise((resolve) => setTimeout(resolve, policy.retryBaseMs * 2 ** (retry - 1)));
    const request = buildWebhookRequest({
      secret,
      messageType: 'notification',
      body,
      subscriptionType: sub.type,
      subscriptionVersion: sub.version,
      messageId,
      retry,
    });
    const answer = await post(callback, request, policy.timeoutMs);
    if (answer && answer.status >= 200 && answer.status < 300) return true;
  }
  return false;
}
