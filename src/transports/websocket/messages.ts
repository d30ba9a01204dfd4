import { z } from 'zod';
import { notificationBodySchema, revocationBodySchema } from '../../twitch/message-schemas.js';
import type { SubscriptionExternal } from '../../twitch/messages.external.js';
import type { RawPayload } from '../../twitch/envelope-json.js';
import { jsonTextProblem } from '../../twitch/json-text.js';
import { rawTopLevelMembers } from '../../twitch/raw-members.js';

/**
 * The text frames Twitch's EventSub WebSocket server sends (docs: handling-websocket-events and
 * websocket-reference): `{ metadata: { message_id, message_type, message_timestamp,
 * subscription_type?, subscription_version? }, payload }`. The payload of a notification and of a
 * revocation is the very body a webhook carries, so it is checked with the webhook schemas.
 */
const metadataSchema = z.looseObject({
  message_id: z.string().min(1),
  message_type: z.string().min(1),
  message_timestamp: z.string().min(1),
  subscription_type: z.string().min(1).optional(),
  subscription_version: z.string().min(1).optional(),
});

const sessionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  /** Welcome: seconds of silence to expect at most (10–600); null in a reconnect message. */
  keepalive_timeout_seconds: z.number().int().positive().nullable(),
  /** Reconnect: where to connect next, used as is; null in a welcome. */
  reconnect_url: z.string().nullable(),
  connected_at: z.string(),
});

const welcomePayload = z.looseObject({
  session: sessionSchema.extend({ keepalive_timeout_seconds: z.number().int().positive() }),
});
const reconnectPayload = z.looseObject({ session: sessionSchema.extend({ reconnect_url: z.url() }) });

/** Fields of the metadata every message has. */
export interface WsMetadata {
  messageId: string;
  timestamp: string;
}

/** One message from the server, validated, in the relay's terms. */
export type WsMessage =
  | { kind: 'welcome'; meta: WsMetadata; sessionId: string; keepaliveSeconds: number }
  | { kind: 'keepalive'; meta: WsMetadata }
  | { kind: 'reconnect'; meta: WsMetadata; sessionId: string; reconnectUrl: string }
  | {
      kind: 'notification' | 'revocation';
      meta: WsMetadata;
      type: string;
      version: string;
      subscription: SubscriptionExternal;
      event: Record<string, unknown> | null;
      /** `subscription` and `event` exactly as the frame carried them (stored and forwarded as is). */
      raw: RawPayload;
    }
  /** Not JSON, not a known message type, or not the shape of its type: logged, never stored. */
  | { kind: 'invalid'; reason: string; messageId?: string };

function describe(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  return `${[prefix, ...(issue?.path ?? []).map(String)].join('.')}: ${issue?.message ?? 'invalid'}`;
}

/**
 * Checks and parses one text frame as received: bytes that are not UTF-8 or nest too deeply are
 * `invalid` before any decoding or parse, as a webhook body would be refused.
 */
export function parseWsFrame(bytes: Buffer): WsMessage {
  const problem = jsonTextProblem(bytes, 'frame');
  if (problem) return { kind: 'invalid', reason: problem.message };
  return parseWsMessage(bytes.toString('utf8'));
}

/** Parses one text frame; anything that is not one of Twitch's documented messages is `invalid`. */
export function parseWsMessage(text: string): WsMessage {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  const envelope = z.looseObject({ metadata: metadataSchema, payload: z.unknown() }).safeParse(frame);
  if (!envelope.success) return { kind: 'invalid', reason: describe(envelope.error, 'frame') };
  const { metadata, payload } = envelope.data;
  const meta: WsMetadata = { messageId: metadata.message_id, timestamp: metadata.message_timestamp };
  const invalid = (reason: string): WsMessage => ({ kind: 'invalid', reason, messageId: meta.messageId });

  switch (metadata.message_type) {
    case 'session_welcome': {
      const parsed = welcomePayload.safeParse(payload);
      if (!parsed.success) return invalid(`session_welcome ${describe(parsed.error, 'payload')}`);
      const { session } = parsed.data;
      return {
        kind: 'welcome',
        meta,
        sessionId: session.id,
        keepaliveSeconds: session.keepalive_timeout_seconds,
      };
    }
    case 'session_keepalive':
      return { kind: 'keepalive', meta };
    case 'session_reconnect': {
      const parsed = reconnectPayload.safeParse(payload);
      if (!parsed.success) return invalid(`session_reconnect ${describe(parsed.error, 'payload')}`);
      const { session } = parsed.data;
      return { kind: 'reconnect', meta, sessionId: session.id, reconnectUrl: session.reconnect_url };
    }
    case 'notification': {
      const parsed = notificationBodySchema.safeParse(payload);
      if (!parsed.success) return invalid(`notification ${describe(parsed.error, 'payload')}`);
      return eventMessage('notification', meta, metadata, parsed.data.subscription, parsed.data.event, text);
    }
    case 'revocation': {
      const parsed = revocationBodySchema.safeParse(payload);
      if (!parsed.success) return invalid(`revocation ${describe(parsed.error, 'payload')}`);
      return eventMessage('revocation', meta, metadata, parsed.data.subscription, null, text);
    }
    default:
      return invalid(`unknown message_type "${metadata.message_type}"`);
  }
}

/** A notification or revocation, once its payload passed; the metadata must name the same type. */
function eventMessage(
  kind: 'notification' | 'revocation',
  meta: WsMetadata,
  metadata: { subscription_type?: string | undefined },
  parsedSubscription: object,
  event: Record<string, unknown> | null,
  frame: string,
): WsMessage {
  const subscription = parsedSubscription as SubscriptionExternal;
  if (metadata.subscription_type !== undefined && metadata.subscription_type !== subscription.type) {
    return {
      kind: 'invalid',
      messageId: meta.messageId,
      reason: `${kind} metadata.subscription_type "${metadata.subscription_type}" differs from payload.subscription.type "${subscription.type}"`,
    };
  }
  // The frame parsed as JSON, so its payload (and the payload's members) can be cut out as text.
  const payload = rawTopLevelMembers(frame, ['payload']).get('payload')!;
  const members = rawTopLevelMembers(payload, ['subscription', 'event']);
  const raw = { subscription: members.get('subscription')!, event: event ? members.get('event')! : null };
  return { kind, meta, type: subscription.type, version: subscription.version, subscription, event, raw };
}
