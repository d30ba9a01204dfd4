import type { SubscriptionExternal } from '../../twitch/messages.external.js';
import { conditionKey } from '../../subscriptions/sync-plan.js';
import type { SessionPlan } from './plan.js';

/**
 * This transport's part of a revocation (the relay's one revocation path logs it and says what
 * restores it, see subscriptions/revocation-handler.ts): the subscription leaves the session plans,
 * so a later new session of this run does not recreate what Twitch just ended. Plans never share
 * a type+condition (planSessions keeps the first), so it leaves at most one.
 */
export function dropFromSessionPlans(plans: readonly SessionPlan[], revoked: SubscriptionExternal): void {
  const key = conditionKey(revoked.type, revoked.condition as Record<string, string>);
  for (const plan of plans) {
    plan.subscriptions = plan.subscriptions.filter(
      (p) => conditionKey(p.wanted.type, p.wanted.condition) !== key,
    );
  }
}
