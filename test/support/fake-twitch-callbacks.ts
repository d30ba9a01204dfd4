import { randomBytes, randomUUID } from 'node:crypto';
import { findEntry } from '../../src/twitch/catalog-lookup.js';
import type { MessageTypeValue } from '../../src/twitch/headers.js';
import { sampleEvent } from '../../src/twitch/samples/index.js';
import { buildWebhookRequest } from '../../src/twitch/webhook-request.js';
import type { FakeSubscription } from './fake-twitch.js';

/**
 * How the fake delivers, like Twitch: a notification that is not answered 2xx within `timeoutMs` is
 * sent again with the same message id after `retryBaseMs`, then 2×, 4× … that, `attempts` times in
 * all; one that fails every attempt revokes its subscription with `notification_failures_exceeded`.
 * Twitch publishes no schedule; "typically 5 within a few minutes" (twitch4j's docs) is the default.
 */
export interface DeliveryPolicy {
  attempts: number;
  retryBaseMs: number;
  timeoutMs: number;
}

export const TWITCH_LIKE_POLICY: DeliveryPolicy = { attempts: 5, retryBaseMs: 10_000, timeoutMs: 10_000 };

/** One POST to a callback and what came of it. */
export interface CallbackAttempt {
  retry: number;
  status?: number;
  error?: string;
}

/** A message the fake sent to a subscription's callback, with every attempt. */
export interface CallbackDelivery {
  messageId: string;
  messageType: MessageTypeValue;
  subscriptionId: string;
  type: string;
  callback: string;
  attempts: CallbackAttempt[];
  delivered: boolean;
  /** Set when this failure made the fake revoke the subscription. */
  revoked?: 'notification_failures_exceeded';
}

type Log = (line: string) => void;

async function post(
  sub: FakeSubscription,
  secret: string,
  messageType: MessageTypeValue,
  body: string,
  messageId: string,
  retry: number,
  timeoutMs: number,
): Promise<CallbackAttempt & { text?: string }> {
  const request = buildWebhookRequest({
    secret,
    messageType,
    body,
    subscriptionType: sub.type,
    subscriptionVersion: sub.version,
    messageId,
    retry,
  });
  try {
    const response = await fetch(sub.transport.callback!, {
      method: 'POST',
      headers: request.headers,
      body,
      redirect: 'manual', // Twitch follows no redirects
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { retry, status: response.status, text: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return {
      retry,
      error: (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.code ?? (error as Error).message),
    };
  }
}

const describeAttempt = (a: CallbackAttempt) => (a.status !== undefined ? String(a.status) : a.error!);

/**
 * The challenge Twitch sends after a create: `enabled` only when the callback answers 200 with
 * exactly the challenge, else `webhook_callback_verification_failed`.
 */
export async function verifyCallback(
  sub: FakeSubscription,
  secret: string,
  policy: DeliveryPolicy,
  log?: Log,
) {
  const challenge = randomBytes(24).toString('base64url');
  const body = JSON.stringify({
    challenge,
    subscription: { ...sub, status: 'webhook_callback_verification_pending' },
  });
  const answer = await post(
    sub,
    secret,
    'webhook_callback_verification',
    body,
    randomUUID(),
    0,
    policy.timeoutMs,
  );
  const echoed = answer.status === 200 && answer.text === challenge;
  sub.status = echoed ? 'enabled' : 'webhook_callback_verification_failed';
  log?.(
    `challenge → ${sub.transport.callback}: ${describeAttempt(answer)}${answer.status === 200 && !echoed ? ' (not the challenge)' : ''}; ${sub.type} v${sub.version} ${sub.status}`,
  );
}

/** The notification body Twitch would send for this subscription, from the catalog's sample event. */
export function notificationFor(sub: FakeSubscription): string {
  const c = sub.condition;
  const broadcasterId =
    c.broadcaster_user_id ?? c.to_broadcaster_user_id ?? c.user_id ?? c.from_broadcaster_user_id;
  const event = sampleEvent(sub.type, sub.version, {
    ...(broadcasterId && { broadcasterId }),
    ...((c.client_id ?? c.extension_client_id) && { clientId: c.client_id ?? c.extension_client_id }),
  });
  const body = findEntry(sub.type, sub.version).batching
    ? { subscription: sub, events: [{ id: randomUUID(), data: event }] }
    : { subscription: sub, event };
  return JSON.stringify(body);
}

/** Sends one notification with Twitch's retries; revokes the subscription if every attempt fails. */
export async function deliverNotification(
  sub: FakeSubscription,
  secret: string,
  policy: DeliveryPolicy,
  log?: Log,
): Promise<CallbackDelivery> {
  const messageId = randomUUID();
  const body = notificationFor(sub);
  const delivery: CallbackDelivery = {
    messageId,
    messageType: 'notification',
    subscriptionId: sub.id,
    type: sub.type,
    callback: sub.transport.callback!, // webhook subscriptions only (websocket ones have a session)
    attempts: [],
    delivered: false,
  };
  for (let retry = 0; retry < policy.attempts && !delivery.delivered; retry++) {
    if (retry > 0) await new Promise((resolve) => setTimeout(resolve, policy.retryBaseMs * 2 ** (retry - 1)));
    const { text: _text, ...attempt } = await post(
      sub,
      secret,
      'notification',
      body,
      messageId,
      retry,
      policy.timeoutMs,
    );
    delivery.attempts.push(attempt);
    delivery.delivered = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
    log?.(
      `notification ${sub.type} ${messageId} attempt ${retry + 1}/${policy.attempts}: ${describeAttempt(attempt)}`,
    );
  }
  if (!delivery.delivered) {
    delivery.revoked = 'notification_failures_exceeded';
    await revoke(sub, secret, 'notification_failures_exceeded', policy, log);
  }
  return delivery;
}

/** Revokes the subscription: its status becomes `reason`, and one revocation message is sent (no retry). */
export async function revoke(
  sub: FakeSubscription,
  secret: string,
  reason: string,
  policy: DeliveryPolicy,
  log?: Log,
): Promise<CallbackDelivery> {
  sub.status = reason;
  const messageId = randomUUID();
  const attempt = await post(
    sub,
    secret,
    'revocation',
    JSON.stringify({ subscription: sub }),
    messageId,
    0,
    policy.timeoutMs,
  );
  const { text: _text, ...recorded } = attempt;
  log?.(`revocation ${sub.type} (${reason}) ${messageId}: ${describeAttempt(recorded)}`);
  return {
    messageId,
    messageType: 'revocation',
    subscriptionId: sub.id,
    type: sub.type,
    callback: sub.transport.callback!, // webhook subscriptions only (websocket ones have a session)
    attempts: [recorded],
    delivered: recorded.status !== undefined && recorded.status >= 200 && recorded.status < 300,
  };
}
