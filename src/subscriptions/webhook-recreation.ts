import type { RelayConfig } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import type { SubscriptionExternal } from '../twitch/messages.external.js';
import { findEntry } from '../twitch/catalog-lookup.js';
import { fillCondition } from '../twitch/catalog-entry.js';
import { AuthSetupError } from '../auth/auth-errors.js';
import { createAuthProvider } from '../auth/auth-provider.js';
import { TokenStore } from '../auth/token-store.js';
import { TwitchSubscriptions } from './twitch-api.js';
import { conditionKey } from './sync-plan.js';

/** Revocations the service can repair itself: nothing the user must re-authorize. */
const RECREATABLE = new Set(['notification_failures_exceeded', 'version_removed']);

/** At most one automatic recreation per type+condition in this window, and a few per hour overall. */
const PER_SUBSCRIPTION_WINDOW_MS = 10 * 60_000;
const MAX_PER_HOUR = 10;

/** What revocation handling needs: the Twitch app, the stored tokens, and how to recreate a subscription. */
export interface RevocationSettings extends Pick<RelayConfig, 'dataDir' | 'file' | 'twitch'> {
  /** PUBLIC_URL: the callback of a recreated subscription when the revoked one names none. */
  publicUrl?: string;
  /** The EventSub secrets, current first: a recreated subscription is signed with the current one. */
  secrets: readonly string[];
}

/**
 * AUTO_RESUBSCRIBE for webhook subscriptions: `allowed` says whether a revocation with this status
 * will be recreated (notification_failures_exceeded, version_removed; with Twitch credentials);
 * `recreate` does it (the newest version for version_removed), rate-limited, in the background.
 */
export function createWebhookRecreation(config: RevocationSettings, logger: Logger, now: () => number) {
  const lastAttempt = new Map<string, number>();
  const recentAttempts: number[] = [];
  return {
    allowed(status: string): boolean {
      return Boolean(
        RECREATABLE.has(status) &&
        config.twitch.autoResubscribe &&
        config.twitch.clientId &&
        config.twitch.clientSecret,
      );
    },
    recreate(sub: SubscriptionExternal): void {
      const key = conditionKey(sub.type, sub.condition as Record<string, string>);
      const at = now();
      while (recentAttempts.length && recentAttempts[0]! < at - 3_600_000) recentAttempts.shift();
      if (
        (lastAttempt.get(key) ?? -Infinity) > at - PER_SUBSCRIPTION_WINDOW_MS ||
        recentAttempts.length >= MAX_PER_HOUR
      ) {
        logger.error(
          { type: sub.type, status: sub.status },
          `not recreating ${sub.type} automatically again so soon (rate limit); run: eventsub-relay sync`,
        );
        return;
      }
      lastAttempt.set(key, at);
      recentAttempts.push(at);
      void recreate(config, sub, logger);
    },
  };
}

async function recreate(
  config: RevocationSettings,
  sub: SubscriptionExternal,
  logger: Logger,
): Promise<void> {
  try {
    const newest = findEntry(sub.type);
    const version = sub.status === 'version_removed' ? newest.version : sub.version;
    const given = sub.condition as Record<string, string>;
    // A newer version may need more condition fields (channel.follow v2: moderator_user_id).
    const condition =
      version === sub.version ? given : fillCondition(newest, given.broadcaster_user_id, given);
    if (sub.status === 'version_removed' && version === sub.version) {
      throw new AuthSetupError(
        `no newer version of ${sub.type} than v${sub.version} is known; update eventsub-relay`,
      );
    }
    const callback =
      (sub.transport as { callback?: string } | undefined)?.callback ?? `${config.publicUrl ?? ''}/callback`;
    const credentials = { clientId: config.twitch.clientId!, clientSecret: config.twitch.clientSecret! };
    const twitch = new TwitchSubscriptions(createAuthProvider(credentials, new TokenStore(config.dataDir)));
    const created = await twitch.create(
      sub.type,
      version,
      condition,
      { callback, secret: config.secrets[0]! },
      Boolean(newest.batching),
    );
    logger.warn(
      { subscriptionId: created.id, type: created.type, version: created.version, status: created.status },
      `recreated ${sub.type} v${version} after ${sub.status}`,
    );
  } catch (error) {
    logger.error(
      { type: sub.type, err: { message: (error as Error).message } },
      `could not recreate ${sub.type}: ${(error as Error).message}; run: eventsub-relay sync`,
    );
  }
}
