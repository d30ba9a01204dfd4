import { HttpStatusCodeError } from '@twurple/api-call';
import { CachedRefreshFailureError } from '@twurple/auth';
import { isTokenEndpointError, twitchErrorMessage } from '../../../auth/token-endpoint-errors.js';

/** Why one user's WebSocket subscriptions could not be listed, and what to do. */
export function listingError(login: string, error: unknown): string {
  const fix = `log in as ${login} and run \`eventsub-relay auth login\``;
  if (error instanceof CachedRefreshFailureError || isTokenEndpointError(error)) {
    return `cannot list the WebSocket subscriptions of ${login}: their token cannot be renewed; ${fix}`;
  }
  if (error instanceof HttpStatusCodeError) {
    return `cannot list the WebSocket subscriptions of ${login}: Twitch answered ${error.statusCode} "${twitchErrorMessage(error.body)}"${error.statusCode === 401 ? `; ${fix}` : ''}`;
  }
  return `cannot list the WebSocket subscriptions of ${login}: ${error instanceof Error ? error.message : String(error)}`;
}
