import type { RelayConfig } from './relay-config.js';

const REDACTED = '[redacted]';

/** The resolved config as it may be logged: secrets replaced, credentials in URLs masked. */
export function redactedConfig(config: RelayConfig): Record<string, unknown> {
  return {
    ...config,
    secrets: config.secrets.map(() => REDACTED),
    secretFile: config.secretFile
      ? { path: config.secretFile.path, generated: config.secretFile.generated }
      : undefined,
    storeUrl: maskUrlCredentials(config.storeUrl),
    forwardUrls: config.forwardUrls.map(maskUrlCredentials),
    forwardSecret: config.forwardSecret ? REDACTED : undefined,
    twitch: { ...config.twitch, clientSecret: config.twitch.clientSecret ? REDACTED : undefined },
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
