import { HttpStatusCodeError } from '@twurple/api-call';
import { CachedRefreshFailureError } from '@twurple/auth';
import { isTokenEndpointError, twitchErrorMessage } from '../../auth/token-endpoint-errors.js';
import type { Logger } from '../../observability/logger.js';
import type { RemoteSubscription } from '../../subscriptions/twitch-api.js';
import type { UserEventSub } from '../../subscriptions/websocket-api.js';
import type { WantedSubscription } from '../../subscriptions/sync-plan.js';
import { SessionSetupError, TokenRefreshError } from './errors.js';
import type { SessionPlan } from './plan.js';

/**
 * Creates every planned subscription on a new session, one after the other with the user's token
 * (Twitch wants the first within 10 s of the welcome; each call takes well under a second).
 * A 409 means it exists on this session already: the state wanted. Any other failure stops here
 * with a SessionSetupError saying whether retrying on a new session can help.
 */
export async function subscribeSession(
  eventSub: UserEventSub,
  plan: SessionPlan,
  sessionId: string,
  logger: Logger,
): Promise<RemoteSubscription[]> {
  const created: RemoteSubscription[] = [];
  for (const { wanted } of plan.subscriptions) {
    try {
      const sub = await eventSub.create(plan.user.id, sessionId, wanted);
      created.push(sub);
      logger.debug(
        { subscriptionId: sub.id, type: sub.type, version: sub.version, sessionId, cost: sub.cost },
        `created ${sub.type} v${sub.version} on the WebSocket session`,
      );
    } catch (error) {
      const exists =
        error instanceof HttpStatusCodeError && error.statusCode === 409 && !isTokenEndpointError(error);
      if (exists) continue;
      throw explainCreateFailure(error, plan, wanted);
    }
  }
  return created;
}

/** What a failed create means for the session, with what to do (Twitch's message quoted). */
function explainCreateFailure(
  error: unknown,
  plan: SessionPlan,
  wanted: WantedSubscription,
): SessionSetupError {
  const { login } = plan.user;
  const what = `cannot create ${wanted.type} v${wanted.version} ${JSON.stringify(wanted.condition)} on the WebSocket session`;
  if (error instanceof CachedRefreshFailureError) {
    return new TokenRefreshError(login, plan.loginCommand, 'Twitch refused the refresh token earlier');
  }
  if (isTokenEndpointError(error)) {
    return new TokenRefreshError(
      login,
      plan.loginCommand,
      `id.twitch.tv answered ${error.statusCode} "${twitchErrorMessage(error.body)}"`,
    );
  }
  if (!(error instanceof HttpStatusCodeError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new SessionSetupError(`${what}: ${message}; retrying on a new session`, false);
  }
  const detail = twitchErrorMessage(error.body);
  const said = `Twitch answered ${error.statusCode} "${detail}"`;
  const status = error.statusCode;
  if (status === 400 && /session/i.test(detail)) {
    // Typically the session closed meanwhile (e.g. 4003 after a slow start): a new one fixes it.
    return new SessionSetupError(`${what}: ${said}; starting a new session`, false);
  }
  if (status === 401) {
    return new SessionSetupError(
      `${what}: ${said} even after renewing ${login}'s token. Log in as ${login} and run \`${plan.loginCommand}\`.`,
      true,
    );
  }
  if (status === 403) {
    return new SessionSetupError(
      `${what}: ${said}: ${login} has not granted this client id the scopes it needs. Log in as ${login} and run ` +
        `\`${plan.loginCommand}\` (it requests every scope the config file needs for them).`,
      true,
    );
  }
  if (status === 410) {
    return new SessionSetupError(
      `${what}: ${said}: this version is gone; set a newer one in the config file (see \`eventsub-relay types\`).`,
      true,
    );
  }
  if (status === 429 && /websocket transports/i.test(detail)) {
    return new SessionSetupError(
      `${what}: ${said}: ${login} already has 3 WebSocket connections with subscriptions for this client id ` +
        '(another copy of the relay, a bot or an overlay using the same Twitch application?). Stop one of them; ' +
        'the relay keeps retrying with backoff.',
      false,
    );
  }
  if (status === 429 && /type and condition/i.test(detail)) {
    return new SessionSetupError(
      `${what}: ${said}: 3 enabled subscriptions with this type and condition exist already for this client id ` +
        '(other sessions still open); they end when those sessions close. Retrying with backoff.',
      false,
    );
  }
  if (status === 429 && /cost/i.test(detail)) {
    return new SessionSetupError(
      `${what}: ${said}: the subscriptions of ${login}'s token exceed max_total_cost 10. Public-data types ` +
        `(stream.online, channel.update, …) for channels other than ${login}'s own cost 1 each: remove some from the config file.`,
      true,
    );
  }
  if (status === 400) {
    return new SessionSetupError(
      `${what}: ${said}. Fix that entry in the config file's subscriptions: list.`,
      true,
    );
  }
  return new SessionSetupError(`${what}: ${said}; retrying on a new session`, false);
}
