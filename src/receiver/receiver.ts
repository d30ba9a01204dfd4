import { MessageType } from '../twitch/headers.js';
import { verifySignature } from '../twitch/signature.js';
import type { Envelope } from '../twitch/envelope.js';
import { withRawPayload } from '../twitch/envelope-json.js';
import type { Intake } from '../intake/port.js';
import { reject, type Decision } from './decision.js';
import { checkHeaders, type HeaderBag } from './header-checks.js';
import { parseMessage } from './parse-message.js';

/** Twitch: "make sure the timestamp is not older than 10 minutes"; the same bound applies to the future. */
export const TIMESTAMP_TOLERANCE_MS = 10 * 60 * 1000;

export interface ReceiverOptions {
  /** Accepted secrets: the current one first, then previous ones during rotation. */
  secrets: () => readonly string[];
  /** Where verified notifications and revocations go (stored durably before it resolves). */
  intake: Intake;
  now?: () => number;
  /** The 403 `invalid_signature` message: which secret did not match, and what to do (see secret-source.ts). */
  invalidSignatureMessage?: string;
}

/**
 * Turns one POST to /callback into a decision, in the order that keeps the relay safe: headers,
 * signature on the raw bytes, timestamp window, and only then JSON; dedup and storage (the intake) last, so an
 * unsigned request can neither crash the parser nor claim a message id. Framework-free: the HTTP
 * layer passes headers (lower-case) and the raw body.
 */
export function createReceiver(options: ReceiverOptions) {
  const now = options.now ?? Date.now;
  const invalidSignature =
    options.invalidSignatureMessage ??
    'signature does not match: the subscription was created with a different secret than EVENTSUB_SECRET; ' +
      'recreate the subscriptions with this secret: `eventsub-relay sync --rotate-secret`';

  return async function receive(headers: HeaderBag, rawBody: Buffer): Promise<Decision> {
    const signed = checkHeaders(headers);
    if ('kind' in signed) return signed;

    if (!verifySignature(options.secrets(), signed.messageId, signed.timestamp, rawBody, signed.signature)) {
      return reject(403, 'invalid_signature', invalidSignature);
    }
    if (Math.abs(now() - signed.timestampMs) > TIMESTAMP_TOLERANCE_MS) {
      return reject(
        403,
        'stale_timestamp',
        'timestamp is more than 10 minutes from this server clock: replay refused (check the clock with timedatectl)',
      );
    }

    const parsed = parseMessage(signed.messageType, rawBody);
    if (parsed.kind === 'rejected') return parsed;
    if (parsed.kind === 'challenge') {
      return {
        kind: 'challenge',
        status: 200,
        challenge: parsed.challenge,
        subscriptionType: parsed.subscriptionType,
      };
    }

    const envelope: Envelope = withRawPayload(
      {
        id: signed.messageId,
        messageType: parsed.kind,
        type: parsed.subscription.type,
        version: parsed.subscription.version,
        timestamp: signed.timestamp,
        retry: signed.retry,
        subscription: parsed.subscription,
        event: parsed.kind === MessageType.notification ? parsed.event : null,
        receivedAt: new Date(now()).toISOString(),
      },
      parsed.raw,
    );
    const outcome = await options.intake.accept(envelope);
    return outcome === 'stored'
      ? { kind: 'stored', status: 204, envelope }
      : { kind: 'duplicate', status: 204, envelope };
  };
}

export type Receive = ReturnType<typeof createReceiver>;
