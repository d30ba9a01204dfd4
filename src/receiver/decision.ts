import type { Envelope } from '../twitch/envelope.js';

/** Machine-readable reason codes, one per rejection path (also the `error` field of 4xx bodies). */
export type RejectionCode =
  | 'payload_too_large'
  | 'missing_header'
  | 'malformed_header'
  | 'invalid_signature'
  | 'stale_timestamp'
  | 'invalid_json'
  | 'invalid_payload'
  | 'unknown_message_type'
  | 'method_not_allowed';

/** What to answer, and what happened, for one request to /callback. */
export type Decision =
  | { kind: 'challenge'; status: 200; challenge: string; subscriptionType: string | undefined }
  | { kind: 'stored'; status: 204; envelope: Envelope }
  | { kind: 'duplicate'; status: 204; envelope: Envelope }
  | { kind: 'rejected'; status: 400 | 403 | 405 | 413; code: RejectionCode; message: string };

export function reject(
  status: 400 | 403 | 405 | 413,
  code: RejectionCode,
  message: string,
): Extract<Decision, { kind: 'rejected' }> {
  return { kind: 'rejected', status, code, message };
}
