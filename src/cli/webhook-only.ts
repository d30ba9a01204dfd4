import type { RelayConfig } from '../config/relay-config.js';
import { UserError } from './user-error.js';

/**
 * `subscribe` and `sync` create webhook subscriptions (PUBLIC_URL/callback). With
 * TRANSPORT=websocket the running relay creates its subscriptions itself, from the config file's
 * `subscriptions:` list, on every session — so these commands would make subscriptions nothing
 * receives. Refused with what to do instead.
 */
export function refuseUnderWebSocket(config: RelayConfig, command: string): void {
  if (config.transport === 'webhook') return;
  throw new UserError(
    `TRANSPORT=${config.transport}: \`${command}\` creates webhook subscriptions (Twitch posting to PUBLIC_URL/callback), ` +
      'which this relay does not receive. Add the subscription to the `subscriptions:` list of the config file ' +
      'instead and restart the relay: it creates them on each WebSocket session, or once on the conduit ' +
      '(`eventsub-relay list` shows them). ' +
      `To manage webhook subscriptions anyway, run it with TRANSPORT=webhook ${command}.`,
  );
}
