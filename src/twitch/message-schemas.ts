import { z } from 'zod';

/** Validates the parts of a subscription object the relay uses; unknown fields pass through untouched. */
const subscriptionSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.string().min(1),
  status: z.string().optional(),
  condition: z.record(z.string(), z.unknown()),
});

export const notificationBodySchema = z.looseObject({
  subscription: subscriptionSchema,
  event: z.record(z.string(), z.unknown()),
});

/**
 * A batched notification (drop.entitlement.grant): `{ subscription, events: [{ id, data }] }`
 * instead of one `event` (Twitch docs, Drop Entitlement Grant; twurple reads both forms).
 */
export const batchedNotificationBodySchema = z.looseObject({
  subscription: subscriptionSchema,
  events: z.array(z.looseObject({ id: z.string().min(1), data: z.record(z.string(), z.unknown()) })).min(1),
});

export const revocationBodySchema = z.looseObject({
  subscription: subscriptionSchema,
});

export const verificationBodySchema = z
  .looseObject({
    challenge: z.string().min(1),
    subscription: subscriptionSchema.optional(),
    conduit_shard: z
      .looseObject({ conduit_id: z.string(), shard: z.union([z.string(), z.number()]) })
      .optional(),
  })
  .refine((body) => body.subscription !== undefined || body.conduit_shard !== undefined, {
    message: 'a challenge must carry either "subscription" or "conduit_shard"',
  });
