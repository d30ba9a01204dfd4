import type { z } from 'zod';
import { MessageType } from '../twitch/headers.js';
import type { SubscriptionExternal } from '../twitch/messages.external.js';
import {
  batchedNotificationBodySchema,
  notificationBodySchema,
  revocationBodySchema,
  verificationBodySchema,
} from '../twitch/message-schemas.js';
import type { RawPayload } from '../twitch/envelope-json.js';
import { reject, type Decision } from './decision.js';
import { MAX_JSON_DEPTH } from '../twitch/json-depth.js';
import { scanMessage } from '../twitch/message-scan.js';
import { isNotificationShape, isRevocationShape } from '../twitch/message-shape.js';
import { isUtf8 } from 'node:buffer';

export type ParsedMessage =
  | { kind: 'challenge'; challenge: string; subscriptionType: string | undefined }
  | {
      kind: 'notification';
      subscription: SubscriptionExternal;
      event: Record<string, unknown>;
      raw: RawPayload;
    }
  | { kind: 'revocation'; subscription: SubscriptionExternal; raw: RawPayload }
  | Extract<Decision, { kind: 'rejected' }>;

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') || 'body';
  return `${path}: ${issue?.message ?? 'invalid'}`;
}

/** A notification carrying `events` and no `event`: Twitch's batched form. */
function isBatch(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'events' in body && !('event' in body);
}

/**
 * Step 5–6 of /callback: JSON.parse (only after the signature held, and only of UTF-8 bodies nested
 * at most MAX_JSON_DEPTH levels) and the shape of its message type.
 */
export function parseMessage(messageType: string, rawBody: Buffer): ParsedMessage {
  const known =
    messageType === MessageType.notification ||
    messageType === MessageType.revocation ||
    messageType === MessageType.verification;
  if (!known) {
    return reject(
      400,
      'unknown_message_type',
      `message type "${messageType}" is not one of notification, revocation, webhook_callback_verification`,
    );
  }

  // The same checks as for a WebSocket frame (twitch/json-text.ts): a body that fails them is a
  // 400 Twitch does not retry (never a 503 from a store that could not write it). The nesting bound
  // and the payload's source text come from one pass over the text (scanMessage).
  if (!isUtf8(rawBody)) {
    return reject(400, 'invalid_json', 'body is not UTF-8 JSON text (it has bytes that are not UTF-8)');
  }
  const text = rawBody.toString('utf8');
  const { tooDeep, members } = scanMessage(text);
  if (tooDeep) {
    return reject(
      400,
      'invalid_payload',
      `body is nested deeper than ${MAX_JSON_DEPTH} levels; Twitch's messages nest far less`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return reject(400, 'invalid_json', 'body is not valid JSON (Twitch sends UTF-8 JSON text, uncompressed)');
  }

  if (messageType === MessageType.verification) {
    const result = verificationBodySchema.safeParse(body);
    if (!result.success) return reject(400, 'invalid_payload', `not a challenge: ${describe(result.error)}`);
    return {
      kind: 'challenge',
      challenge: result.data.challenge,
      subscriptionType: result.data.subscription?.type,
    };
  }
  // The schemas only validate: the objects handed on are JSON.parse's own (a schema's copy would
  // turn an `__proto__` key into a prototype), and their text is kept exactly as received.
  const parsed = body as { subscription: SubscriptionExternal; event: Record<string, unknown> };
  if (messageType === MessageType.notification && isBatch(body)) {
    const result = batchedNotificationBodySchema.safeParse(body);
    if (!result.success)
      return reject(400, 'invalid_payload', `not a notification: ${describe(result.error)}`);
    // Kept as Twitch sent it: the envelope's event is `{ events: [{ id, data }, …] }`.
    return {
      kind: 'notification',
      subscription: parsed.subscription,
      event: { events: (body as { events: unknown[] }).events },
      raw: { subscription: members.subscription!, event: `{"events":${members.events!}}` },
    };
  }
  // The common shapes are checked by hand (nothing built); the schema runs only to say what is wrong.
  if (messageType === MessageType.notification) {
    if (!isNotificationShape(body)) {
      const result = notificationBodySchema.safeParse(body);
      return reject(400, 'invalid_payload', `not a notification: ${problemOf(result)}`);
    }
    return {
      kind: 'notification',
      subscription: parsed.subscription,
      event: parsed.event,
      raw: { subscription: members.subscription!, event: members.event! },
    };
  }
  if (!isRevocationShape(body)) {
    const result = revocationBodySchema.safeParse(body);
    return reject(400, 'invalid_payload', `not a revocation: ${problemOf(result)}`);
  }
  return {
    kind: 'revocation',
    subscription: parsed.subscription,
    raw: { subscription: members.subscription!, event: null },
  };
}

/** The schema's first problem; 'invalid' should the schema and the hand check ever disagree. */
function problemOf(result: { success: boolean; error?: z.ZodError }): string {
  return result.error ? describe(result.error) : 'invalid';
}
