import type { RelayConfig } from '../config/relay-config.js';
import { maskUrlCredentials } from '../config/redacted-config.js';
import { displayPath, eventSubSecretSource } from '../config/secret-source.js';
import type { RunningRelay } from '../relay/start-relay.js';
import { parseStoreUrl } from '../store/store-url.js';
import { VERSION } from './version.js';

/** Twitch delivers only to https on port 443. */
export function twitchCanCall(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'https:' && (url.port === '' || url.port === '443');
}

/** STORE_URL as a person reads it: a SQLite path relative to here, PostgreSQL without its password. */
export function describeStore(storeUrl: string): string {
  const url = parseStoreUrl(storeUrl);
  if (url?.kind === 'sqlite') return `SQLite ${displayPath(url.path)}`;
  return `PostgreSQL ${maskUrlCredentials(storeUrl)}`;
}

/**
 * The start-up line, in words: where the relay listens, which store, which sinks, where the
 * EventSub secret is, and the callback URL to give Twitch (or what is missing for one). The same
 * facts are fields of the log entry, for machines.
 */
export function describeStart(
  config: Pick<RelayConfig, 'transport' | 'store' | 'webhook' | 'websocket' | 'conduit'>,
  relay: Pick<RunningRelay, 'url' | 'sinks' | 'provisioned' | 'conduitShard'>,
): { message: string; fields: Record<string, unknown> } {
  const store = describeStore(config.store.url);
  const sinks = relay.sinks.map((sink) =>
    sink.name === sink.kind ? sink.name : `${sink.name} (${sink.kind})`,
  );
  const webhookShard = config.transport === 'conduit' && config.conduit.transport === 'webhook';
  if (config.transport !== 'webhook' && !webhookShard) {
    const shard =
      config.transport !== 'conduit'
        ? ''
        : relay.conduitShard === 'claimed'
          ? ' as a shard of the conduit claimed through the store (replicas: the log says which)'
          : ` as shard ${relay.conduitShard ?? config.conduit.shard ?? 0} of the conduit`;
    return {
      message:
        `eventsub-relay ${VERSION} listening on ${relay.url} (health, metrics) — store: ${store} — ` +
        `${sinks.length === 1 ? 'sink' : 'sinks'}: ${sinks.join(', ')} — events arrive over the EventSub WebSocket ` +
        `at ${config.websocket.url}${shard}: no public address, nginx or secret needed`,
      fields: { url: relay.url, store, sinks: relay.sinks, eventSubWsUrl: config.websocket.url },
    };
  }
  const secret = eventSubSecretSource(relay.provisioned.eventSub.file);
  const callback = config.webhook.publicUrl ? `${config.webhook.publicUrl}/callback` : undefined;
  const twitch = callback
    ? `Twitch should call ${callback} (PUBLIC_URL)`
    : 'no PUBLIC_URL yet: Twitch calls only https on port 443, so put nginx with TLS in front (docs/deploy.md) ' +
      'and set PUBLIC_URL to that origin (no public address at all? TRANSPORT=websocket needs none); meanwhile ' +
      '`eventsub-relay trigger channel.follow` sends a test event here, and `eventsub-relay doctor` checks each hop';
  return {
    message:
      `eventsub-relay ${VERSION} listening on ${relay.url} — store: ${store} — ` +
      `${sinks.length === 1 ? 'sink' : 'sinks'}: ${sinks.join(', ')} — EventSub secret: ${secret} — ${twitch}`,
    // `hmacFrom`, not a key naming a secret: the logger would redact the (harmless) source name.
    fields: { url: relay.url, store, sinks: relay.sinks, hmacFrom: secret, callback },
  };
}
