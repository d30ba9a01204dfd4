import type { RelayConfig } from './relay-config.js';

const REDACTED = '[redacted]';

/** The resolved config as it may be logged: secrets replaced, credentials in URLs masked. */
export function redactedConfig(config: RelayConfig): Record<string, unknown> {
  const { webhook, delivery, store, twitch, dashboard } = config;
  return {
    ...config,
    webhook: {
      ...webhook,
      secret: webhook.secret === undefined ? undefined : REDACTED,
      previousSecrets: webhook.previousSecrets.map(() => REDACTED),
    },
    store: { ...store, url: maskUrlCredentials(store.url) },
    delivery: {
      ...delivery,
      forwardUrls: delivery.forwardUrls.map(maskUrlCredentials),
      forwardSecret: delivery.forwardSecret ? REDACTED : undefined,
    },
    twitch: { ...twitch, clientSecret: twitch.clientSecret ? REDACTED : undefined },
    dashboard: { ...dashboard, token: dashboard.token ? REDACTED : undefined },
  };
}

/** `postgres://user:pw@host/db` → `postgres://user:[redacted]@host/db`; other strings unchanged. */
export function maskUrlCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = REDACTED;
    return url.toString();
  } catch {
    return value;
  }
}
