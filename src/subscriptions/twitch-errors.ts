import { helixBackoffBaseMs } from '../config/test-hooks.js';
import { HttpStatusCodeError } from '@twurple/api-call';
import {
  explainTokenEndpointError,
  isTokenEndpointUrl,
  twitchErrorMessage,
} from '../auth/token-endpoint-errors.js';

/** Called before waiting out a 429, so the CLI can tell the user why it pauses. */
export type RetryNotice = (message: string) => void;

/** A failed Twitch call, with a message that says what went wrong and what to do. */
export class TwitchCallError extends Error {
  readonly userMessage: string;
  constructor(
    readonly status: number,
    message: string,
    /** `token`: the failure was getting our app token (credentials), not the Helix call itself. */
    readonly endpoint: 'helix' | 'token' = 'helix',
    /** Twitch's own message from the error body. */
    readonly detail = '',
  ) {
    super(message);
    this.name = 'TwitchCallError';
    this.userMessage = message;
  }
}

/** The Twitch message of a failed call (for callers that add their own advice, e.g. a 403 on create). */
function twitchDetail(error: HttpStatusCodeError): string {
  return twitchErrorMessage(error.body);
}

/**
 * Translates a Twitch HTTP error into advice for the person at the terminal. Token-endpoint
 * failures (our app token) are about TWITCH_CLIENT_ID / TWITCH_CLIENT_SECRET, not the request.
 */
function explainTwitchError(what: string, error: HttpStatusCodeError): TwitchCallError {
  if (isTokenEndpointUrl(error.url))
    return new TwitchCallError(
      error.statusCode,
      explainTokenEndpointError(what, error).message,
      'token',
      twitchDetail(error),
    );
  const detail = twitchDetail(error);
  const advice: Record<number, string> = {
    400: `Twitch rejected the request as invalid: ${detail}. Check the field it names (type, version, condition, callback or secret).`,
    401: `Twitch rejected our credentials (${detail}). Check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET belong to the same application.`,
    403: `Twitch says the authorization is missing (${detail}): the user named in the condition has not granted this client id the scopes the type needs (see \`eventsub-relay types\`).`,
    404: `Twitch does not know it (${detail}); it may already be deleted — see \`eventsub-relay list\`.`,
    409: `it already exists on Twitch (${detail}); see \`eventsub-relay list\`.`,
    410: `Twitch removed this type/version (${detail}); run \`eventsub-relay types\` and use the newest version.`,
    429: `Twitch kept answering 429 Too Many Requests (${detail}). Twitch allows at most 3 subscriptions with the same type and condition, and limits request rates: check \`eventsub-relay list\` for duplicates or wait a minute, then try again.`,
  };
  const message = advice[error.statusCode] ?? `Twitch answered HTTP ${error.statusCode}: ${detail}`;
  return new TwitchCallError(error.statusCode, `cannot ${what}: ${message}`, 'helix', detail);
}

/** How long to wait before retry n (0-based) after a 429; EVENTSUB_RELAY_BACKOFF_MS scales it (tests). */
function backoffMs(attempt: number): number {
  const base = helixBackoffBaseMs();
  return base * 2 ** attempt;
}

/** Runs a Twitch call; retries 429 up to 3 times with exponential backoff; explains every other error. */
export async function withTwitchErrors<T>(
  what: string,
  call: () => Promise<T>,
  onRetry: RetryNotice,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof HttpStatusCodeError)) {
        if (
          error instanceof Error &&
          /fetch failed|ECONNREFUSED|ENOTFOUND/.test(`${error.message} ${String(error.cause)}`)
        ) {
          throw new TwitchCallError(
            0,
            `cannot ${what}: Twitch's API is unreachable (${error.message}); check the network`,
          );
        }
        throw error;
      }
      if (error.statusCode === 429 && attempt < 3) {
        const wait = backoffMs(attempt);
        onRetry(
          `Twitch answered 429 Too Many Requests to "${what}"; waiting ${(wait / 1000).toFixed(1)} s and retrying (${attempt + 1}/3)`,
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      throw explainTwitchError(what, error);
    }
  }
}
