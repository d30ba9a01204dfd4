import { provisionEventSubSecret } from '../config/provision.js';
import { loadRelayConfig, type RelayConfig } from '../config/relay-config.js';
import { requireClientCredentials } from '../auth/auth-errors.js';
import { createAuthProvider } from '../auth/auth-provider.js';
import { TokenStore } from '../auth/token-store.js';
import type { DesiredEntry } from '../config/subscription-entries.js';
import { TwitchSubscriptions } from '../subscriptions/twitch-api.js';
import { cliEnvironment } from './environment.js';
import { resolverWithTokens, type PrepareContext, type ResolveUser } from '../subscriptions/prepare.js';

/** What the Twitch-facing commands share: config, stored authorizations, the Helix client. */
export interface TwitchContext {
  config: RelayConfig;
  tokens: TokenStore;
  credentials: { clientId: string; clientSecret: string; redirectUri: string };
  twitch: TwitchSubscriptions;
  resolveUser: ResolveUser;
}

/** Loads config and tokens; fails with what to set when the Twitch app credentials are missing. */
export function openTwitchContext(env: NodeJS.ProcessEnv = cliEnvironment()): TwitchContext {
  const config = loadRelayConfig(env);
  const credentials = { ...requireClientCredentials(config.twitch), redirectUri: config.twitch.redirectUri };
  const tokens = new TokenStore(config.dataDir);
  const twitch = new TwitchSubscriptions(createAuthProvider(credentials, tokens), (message) =>
    process.stderr.write(`${message}\n`),
  );
  return {
    config,
    tokens,
    credentials,
    twitch,
    resolveUser: resolverWithTokens(tokens, () => (login) => twitch.resolveUser(login)),
  };
}

/** For commands that only read the token files (no Twitch call, so no client credentials needed). */
export function openTokenStore(env: NodeJS.ProcessEnv = cliEnvironment()): TokenStore {
  return new TokenStore(loadRelayConfig(env).dataDir);
}

/**
 * The secret a new webhook subscription is created with: EVENTSUB_SECRET, else the one the relay
 * keeps in DATA_DIR, generated there now if the relay has not started yet (it reads the same file).
 */
export function subscriptionSecret(ctx: Pick<TwitchContext, 'config'>): string {
  return provisionEventSubSecret(ctx.config).secrets[0]!;
}

/** What prepareSubscription needs, from the context and the config file's list. */
export function prepareContext(ctx: TwitchContext, desired: readonly DesiredEntry[]): PrepareContext {
  return { tokens: ctx.tokens, resolveUser: ctx.resolveUser, clientId: ctx.credentials.clientId, desired };
}
