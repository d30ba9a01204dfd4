import { AuthSetupError, requireClientCredentials } from '../../auth/auth-errors.js';
import { createAuthProvider } from '../../auth/auth-provider.js';
import { TokenStore } from '../../auth/token-store.js';
import type { LoadedConfigFile, TwitchSettings, WebSocketSettings } from '../../config/relay-config.js';
import type { Intake } from '../../intake/port.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { resolverWithTokens } from '../../subscriptions/prepare.js';
import { TwitchSubscriptions } from '../../subscriptions/twitch-api.js';
import { UserEventSub } from '../../subscriptions/websocket-api.js';
import { EXIT_NEEDS_A_PERSON, type SessionSetupError } from './errors.js';
import type { SubscriptionExternal } from '../../twitch/messages.external.js';
import { planSessions, type SessionPlan } from './plan.js';
import { dropFromSessionPlans } from './revocations.js';
import { startWebSocketTransport, type WebSocketTransport } from './websocket-transport.js';

/** A checked plan, ready to connect: what `prepareWebSocketTransport` found. */
export interface PreparedWebSocketTransport {
  plans: SessionPlan[];
  /** A revoked subscription leaves the plans: no later session recreates it (see dropFromSessionPlans). */
  dropFromSessionPlan(revoked: SubscriptionExternal): void;
  start(parts: {
    intake: Intake;
    logger: Logger;
    metrics: Metrics;
    onFatal(error: SessionSetupError): void;
  }): WebSocketTransport;
}

/**
 * Everything TRANSPORT=websocket needs before it connects, checked at start-up so a mistake stops
 * the service at once with what to do: the Twitch application's credentials, the config file's
 * subscriptions, each authorizing user's stored token (with its refresh token and scopes), and
 * Twitch's WebSocket limits. User tokens come from DATA_DIR/tokens (`eventsub-relay auth login`)
 * through one RefreshingAuthProvider that renews them and writes each renewal back.
 */
export async function prepareWebSocketTransport(config: {
  settings: WebSocketSettings;
  twitch: TwitchSettings;
  /** DATA_DIR: where `auth login` keeps the user tokens. */
  tokensDir: string;
  file: Pick<LoadedConfigFile, 'path' | 'subscriptions'>;
}): Promise<PreparedWebSocketTransport> {
  let credentials;
  let tokens;
  let provider;
  let plans;
  try {
    credentials = requireClientCredentials(config.twitch);
    tokens = new TokenStore(config.tokensDir);
    provider = createAuthProvider(credentials, tokens);
    const twitch = new TwitchSubscriptions(provider);
    plans = await planSessions(config.file, {
      tokens,
      resolveUser: resolverWithTokens(tokens, () => (login) => twitch.resolveUser(login)),
      clientId: credentials.clientId,
    });
  } catch (error) {
    // A missing token or scope is not fixed by systemd restarting the service: exit 78 (EX_CONFIG).
    if (error instanceof AuthSetupError) Object.assign(error, { exitCode: EXIT_NEEDS_A_PERSON });
    throw error;
  }
  // Loaded here, not at the top: a webhook relay never builds a Helix client at start-up.
  const { ApiClient } = await import('@twurple/api');
  const eventSub = new UserEventSub(
    new ApiClient({ authProvider: provider, logger: { minLevel: 'critical' } }),
  );
  return {
    plans,
    dropFromSessionPlan: (revoked) => dropFromSessionPlans(plans, revoked),
    start: (parts) => startWebSocketTransport({ settings: config.settings, plans, eventSub, ...parts }),
  };
}
