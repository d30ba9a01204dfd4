import type { RemoteSubscription } from './twitch-api.js';

/** A subscription we want: one catalog type/version and a complete condition. */
export interface WantedSubscription {
  type: string;
  version: string;
  condition: Record<string, string>;
}

/** One step of a sync; `existing` is the Twitch subscription it keeps, replaces or deletes. */
export type PlanStep =
  | { action: 'create'; wanted: WantedSubscription }
  | { action: 'keep'; wanted: WantedSubscription; existing: RemoteSubscription }
  | { action: 'recreate'; wanted: WantedSubscription; existing: RemoteSubscription; reason: string }
  | { action: 'delete'; existing: RemoteSubscription };

/** Statuses under which Twitch delivers (or is about to): anything else needs recreating. */
const HEALTHY = new Set(['enabled', 'webhook_callback_verification_pending']);

/** Key for "same type and condition" (Twitch's duplicate rule), independent of key order. */
export function conditionKey(type: string, condition: Record<string, string>): string {
  const sorted = Object.keys(condition)
    .sort()
    .map((k) => `${k}=${condition[k]}`);
  return `${type}|${sorted.join('&')}`;
}

/**
 * Desired state vs Twitch: create what is missing, keep healthy matches, recreate failed or
 * revoked ones (or all of ours with `rotateSecret`, or when the version differs), and with
 * `prune` delete our other subscriptions. Only subscriptions whose callback is ours are touched.
 */
export function planSync(
  wanted: readonly WantedSubscription[],
  remote: readonly RemoteSubscription[],
  options: { callback: string; prune: boolean; rotateSecret: boolean },
): PlanStep[] {
  const ours = remote.filter((s) => s.callback === options.callback);
  const unclaimed = new Set(ours);
  const steps: PlanStep[] = [];
  const seen = new Set<string>();
  for (const want of wanted) {
    const key = conditionKey(want.type, want.condition);
    if (seen.has(key)) continue; // the same entry twice in the config is one subscription
    seen.add(key);
    const candidates = ours.filter((s) => unclaimed.has(s) && conditionKey(s.type, s.condition) === key);
    const match =
      candidates.find((s) => HEALTHY.has(s.status) && s.version === want.version) ?? candidates[0];
    if (!match) {
      steps.push({ action: 'create', wanted: want });
      continue;
    }
    unclaimed.delete(match);
    if (match.version !== want.version) {
      steps.push({
        action: 'recreate',
        wanted: want,
        existing: match,
        reason: `version ${match.version} → ${want.version}`,
      });
    } else if (!HEALTHY.has(match.status)) {
      steps.push({ action: 'recreate', wanted: want, existing: match, reason: `status ${match.status}` });
    } else if (options.rotateSecret) {
      steps.push({ action: 'recreate', wanted: want, existing: match, reason: 'secret rotation' });
    } else {
      steps.push({ action: 'keep', wanted: want, existing: match });
    }
  }
  if (options.prune) for (const existing of unclaimed) steps.push({ action: 'delete', existing });
  return steps;
}

/** One line per step, for the plan printout. */
export function describeStep(step: PlanStep): string {
  const sub = step.action === 'delete' ? step.existing : step.wanted;
  const what = `${sub.type} v${sub.version} ${JSON.stringify(sub.condition)}`;
  switch (step.action) {
    case 'create':
      return `+ create   ${what}`;
    case 'keep':
      return `= keep     ${what} (${step.existing.id}, ${step.existing.status})`;
    case 'recreate':
      return `~ recreate ${what} (${step.existing.id}: ${step.reason})`;
    case 'delete':
      return `- delete   ${what} (${step.existing.id}, ${step.existing.status})`;
  }
}
