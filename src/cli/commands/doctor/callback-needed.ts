import type { ParsedEnv } from '../../../config/env-schema.js';

/**
 * Whether Twitch calls this relay's PUBLIC_URL/callback: with webhooks, and with a conduit's webhook
 * shard (CONDUIT_SHARD_TRANSPORT=webhook). With TRANSPORT=websocket or a WebSocket shard the relay
 * connects out, and the public hops (DNS, TLS, challenge, secret) are not needed.
 */
export function callbackNeeded(env: Pick<ParsedEnv, 'TRANSPORT' | 'CONDUIT_SHARD_TRANSPORT'>): boolean {
  return (
    env.TRANSPORT === 'webhook' || (env.TRANSPORT === 'conduit' && env.CONDUIT_SHARD_TRANSPORT === 'webhook')
  );
}
