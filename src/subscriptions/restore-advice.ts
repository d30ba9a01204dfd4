import { subscriptionsForAdvice, type RelayConfig } from '../config/relay-config.js';
import { TokenStore } from '../auth/token-store.js';
import type { Envelope } from '../twitch/envelope.js';
import { findEntry } from '../twitch/catalog-lookup.js';
import {
  authorizingUser,
  explainRevocation,
  type RestoreHints,
  type RevocationAdvice,
  type RevocationTransport,
} from '../twitch/revocation-reasons.js';
import { scopesToRequest } from './login-advice.js';

/**
 * Advice for a revocation the service received, made specific with what it can read locally:
 * the authorizing user's login and every scope a new `auth login` must carry for them (stored
 * token + this type + the config file's subscriptions), so following it loses nothing.
 */
export function restoreAdvice(
  config: Pick<RelayConfig, 'dataDir' | 'file'>,
  sub: Envelope['subscription'],
  status: string,
  transport: RevocationTransport = 'webhook',
): RevocationAdvice {
  const revoked = { type: sub.type, version: sub.version, condition: sub.condition ?? {} };
  return explainRevocation(status, revoked, hintsFor(config, revoked), transport);
}

function hintsFor(
  config: Pick<RelayConfig, 'dataDir' | 'file'>,
  sub: Parameters<typeof authorizingUser>[0],
): RestoreHints {
  const user = authorizingUser(sub);
  if (!user || !sub) return {};
  try {
    const tokens = new TokenStore(config.dataDir);
    const login = tokens.get(user.id)?.login;
    const scopes = findEntry(sub.type).scopes;
    const loginScopes = scopesToRequest({ id: user.id, ...(login && { login }) }, scopes, {
      tokens,
      desired: subscriptionsForAdvice(config),
    });
    return { loginScopes, ...(login && { login }) };
  } catch {
    return {}; // advice must never break handling the revocation; the generic text still applies
  }
}
