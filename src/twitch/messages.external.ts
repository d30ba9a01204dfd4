/**
 * Shapes of the JSON bodies Twitch posts to a webhook callback, in Twitch's own snake_case.
 * Only the fields the relay relies on are required; everything else is kept as sent.
 */
export interface SubscriptionExternal {
  id: string;
  type: string;
  version: string;
  status?: string;
  cost?: number;
  condition: Record<string, unknown>;
  transport?: Record<string, unknown>;
  created_at?: string;
  [extra: string]: unknown;
}

export interface NotificationBodyExternal {
  subscription: SubscriptionExternal;
  event: Record<string, unknown>;
}

export interface RevocationBodyExternal {
  subscription: SubscriptionExternal;
}

/** A challenge carries `subscription` for a subscription, or `conduit_shard` when sent to a conduit shard. */
export interface VerificationBodyExternal {
  challenge: string;
  subscription?: SubscriptionExternal;
  conduit_shard?: { conduit_id: string; shard: string | number };
}
