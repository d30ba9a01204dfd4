import { HttpStatusCodeError } from '@twurple/api-call';
import { AuthSetupError } from './auth-errors.js';

const CONSOLE = 'https://dev.twitch.tv/console/apps';

/** True for the URL of id.twitch.tv/oauth2/token as twurple reports it (relative: `token?…`). */
export function isTokenEndpointUrl(url: string): boolean {
  return /^\/?token(\?|$)/.test(url);
}

/** True for a failed call to id.twitch.tv/oauth2/token. */
export function isTokenEndpointError(error: unknown): error is HttpStatusCodeError {
  return error instanceof HttpStatusCodeError && isTokenEndpointUrl(error.url);
}

/** Twitch's `message` from an error body like `{"status":403,"message":"invalid client secret"}`. */
export function twitchErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : body;
  } catch {
    return body;
  }
}

/**
 * Explains a failure of the token endpoint (app token, code exchange, refresh). These are about
 * our application's credentials or a user's grant, never about a subscription — so they get
 * their own advice instead of the Helix table. Twitch answers a wrong client id with
 * 400 "invalid client" and a wrong secret with 403 "invalid client secret". The URL twurple
 * reports carries client_secret in its query, so it is never part of the message.
 */
export function explainTokenEndpointError(what: string, error: HttpStatusCodeError): AuthSetupError {
  const detail = twitchErrorMessage(error.body);
  const query = new URLSearchParams(error.url.split('?')[1] ?? '');
  const clientId = query.get('client_id');
  const grant = query.get('grant_type');
  const said = `id.twitch.tv answered ${error.statusCode} "${detail}"`;
  if (/invalid client secret/i.test(detail)) {
    return new AuthSetupError(
      `cannot ${what}: Twitch rejected TWITCH_CLIENT_SECRET (${said}). Open ${CONSOLE}, "Manage" the application ` +
        `whose Client ID is TWITCH_CLIENT_ID${clientId ? ` (${clientId})` : ''}, click "New Secret" and put it into ` +
        'TWITCH_CLIENT_SECRET (a new secret replaces the old one; the secret must belong to that same application).',
    );
  }
  if (/invalid client/i.test(detail)) {
    return new AuthSetupError(
      `cannot ${what}: Twitch does not know TWITCH_CLIENT_ID${clientId ? ` "${clientId}"` : ''} (${said}). Copy the ` +
        `Client ID of your application from ${CONSOLE} ("Manage") into TWITCH_CLIENT_ID, with that application's ` +
        'Client Secret in TWITCH_CLIENT_SECRET.',
    );
  }
  if (grant === 'refresh_token') {
    return new AuthSetupError(
      `cannot ${what}: Twitch refused to refresh the token (${said}); the user revoked it or it belongs to another ` +
        'client id. Have them authorize again with `eventsub-relay auth login`.',
    );
  }
  if (grant === 'authorization_code') {
    return new AuthSetupError(
      `cannot ${what}: Twitch refused the authorization code (${said}); codes work once and only with the ` +
        'TWITCH_REDIRECT_URI registered for TWITCH_CLIENT_ID. Run `eventsub-relay auth login` again.',
    );
  }
  return new AuthSetupError(
    `cannot ${what}: ${said}. Check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET at ${CONSOLE} (both from the same application).`,
  );
}
