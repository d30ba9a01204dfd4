import { randomUUID } from 'node:crypto';
import { fillCondition, type CatalogEntry } from '../catalog-entry.js';
import type { SubscriptionExternal } from '../messages.external.js';
import { DEFAULT_SAMPLE_CONTEXT, sampleEvent } from './index.js';
import { applySampleOverrides, type SampleOverride } from './sample-overrides.js';

/** Who and where a sample message is for; everything defaults to the docs examples' values. */
export interface SampleOptions {
  broadcasterId?: string;
  clientId?: string;
  /** transport.callback; the Twitch CLI writes the literal "null" when it has none. */
  callback?: string;
  subscriptionId?: string;
  createdAt?: string;
  /** Changes to the sample event (`trigger --set user=Foo`); see sample-overrides.ts. */
  overrides?: readonly SampleOverride[];
}

/**
 * The `subscription` object Twitch puts in every message for this type: the condition filled
 * from the catalog (broadcaster/moderator/user ids, client ids), webhook transport, cost 0.
 */
function sampleSubscription(
  entry: CatalogEntry,
  status: string,
  options: SampleOptions = {},
): SubscriptionExternal {
  const broadcasterId = options.broadcasterId ?? DEFAULT_SAMPLE_CONTEXT.broadcasterId;
  const clientId = options.clientId ?? DEFAULT_SAMPLE_CONTEXT.clientId;
  const condition = fillCondition(entry, broadcasterId, {}, clientId);
  // Required fields the catalog cannot fill (drop's organization_id) take the sample event's value.
  const event = sampleEvent(entry.type, entry.version, { broadcasterId, clientId });
  for (const field of entry.condition) {
    const value = event[field.name];
    if (!field.optional && condition[field.name] === undefined && typeof value === 'string')
      condition[field.name] = value;
  }
  return {
    id: options.subscriptionId ?? randomUUID(),
    status,
    type: entry.type,
    version: entry.version,
    condition,
    transport: { method: 'webhook', callback: options.callback ?? 'null' },
    created_at: options.createdAt ?? new Date().toISOString(),
    cost: 0,
  };
}

/**
 * A notification body as Twitch sends it: `{ subscription, event }`, or for a batched type
 * (drop.entitlement.grant) `{ subscription, events: [{ id, data }] }`.
 */
export function sampleNotificationBody(
  entry: CatalogEntry,
  options: SampleOptions = {},
): Record<string, unknown> {
  const subscription = sampleSubscription(entry, 'enabled', options);
  const event = sampleEvent(entry.type, entry.version, {
    ...(options.broadcasterId && { broadcasterId: options.broadcasterId }),
    ...(options.clientId && { clientId: options.clientId }),
  });
  if (options.overrides?.length) applySampleOverrides(event, options.overrides, entry.type);
  return entry.batching
    ? { subscription, events: [{ id: randomUUID(), data: event }] }
    : { subscription, event };
}

/** A revocation body: the subscription alone, its status the reason Twitch revoked it. */
export function sampleRevocationBody(
  entry: CatalogEntry,
  reason = 'authorization_revoked',
  options: SampleOptions = {},
): Record<string, unknown> {
  return { subscription: sampleSubscription(entry, reason, options) };
}

/** A challenge body: `{ challenge, subscription }` with the subscription still pending. */
export function sampleChallengeBody(
  entry: CatalogEntry,
  challenge: string,
  options: SampleOptions = {},
): Record<string, unknown> {
  return {
    challenge,
    subscription: sampleSubscription(entry, 'webhook_callback_verification_pending', options),
  };
}
