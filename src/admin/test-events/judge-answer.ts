import type { PlannedMessage } from './sample-messages.js';
import type { WebhookAnswer } from './send-webhook.js';

/** One sent message and what the callback made of it. */
export interface TriggerResult extends WebhookAnswer {
  messageId: string;
  messageType: string;
  type: string;
  version: string;
  ok: boolean;
  /** For challenges: whether the body was exactly the challenge. */
  challengeEchoed?: boolean;
  /** What the answer means and, when it is not ok, what to do. */
  verdict: string;
}

/** The `{error, message}` JSON the relay answers with, when it is that. */
function relayError(body: string | undefined): { error?: string; message?: string } {
  try {
    const parsed = JSON.parse(body ?? '') as unknown;
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as { error?: string; message?: string })
      : {};
  } catch {
    return {};
  }
}

function failureAdvice(answer: WebhookAnswer): string {
  if (answer.error)
    return `nothing answered (${answer.error}): start the relay (\`eventsub-relay serve\`) or pass --to <url>`;
  const { error, message } = relayError(answer.body);
  const said = error ? `${error}${message ? `: ${message}` : ''}` : (answer.body ?? '').slice(0, 200);
  if (error === 'invalid_signature')
    return `${said} — sign with the relay's secret: pass --secret, or run with the EVENTSUB_SECRET / DATA_DIR the relay uses`;
  if (answer.status! >= 300 && answer.status! < 400)
    return `a redirect (${said || 'no body'}): Twitch follows none; point --to at the final URL`;
  return said || 'no body';
}

/** Judges one answer the way Twitch would: 2xx for notifications/revocations, 200 + exact echo for challenges. */
export function judgeAnswer(
  message: PlannedMessage,
  messageId: string,
  answer: WebhookAnswer,
  retrigger: boolean,
): TriggerResult {
  const base = {
    messageId,
    messageType: message.messageType,
    type: message.type,
    version: message.version,
    ...answer,
  };
  const success = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
  if (message.challenge !== undefined) {
    const echoed = answer.status === 200 && answer.body === message.challenge;
    const plain = (answer.contentType ?? '').startsWith('text/plain');
    const verdict = echoed
      ? `challenge echoed exactly${plain ? '' : ` (but Content-Type is ${answer.contentType ?? 'missing'}, not text/plain)`}`
      : answer.status === 200
        ? `the body is not the challenge (sent ${JSON.stringify(message.challenge)}, got ${JSON.stringify((answer.body ?? '').slice(0, 100))}): Twitch would fail the subscription`
        : failureAdvice(answer);
    return { ...base, ok: echoed, challengeEchoed: echoed, verdict };
  }
  const verdict = success
    ? retrigger
      ? 'accepted as a duplicate (the relay already holds this message id; nothing new is stored)'
      : 'accepted (stored durably, or already held)'
    : failureAdvice(answer);
  return { ...base, ok: success, verdict };
}
