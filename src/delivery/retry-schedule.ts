/** Seconds after the previous attempt: 5 s … 12 h, about 27 h in all (like Twitch's own persistence). */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [
  5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200,
];
export const DEFAULT_JITTER = 0.2;

export interface RetryPolicy {
  scheduleSeconds: readonly number[];
  /** ±fraction applied to each step, so a recovering consumer is not hit by every retry at once. */
  jitter: number;
}

/**
 * When to try again after `attemptsSoFar` failed attempts, or null when the schedule is used up
 * (the delivery is then dead). `random` is injectable for tests.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attemptsSoFar: number,
  now: number,
  random: () => number = Math.random,
): Date | null {
  const step = policy.scheduleSeconds[attemptsSoFar - 1];
  if (step === undefined) return null;
  const factor = 1 + policy.jitter * (random() * 2 - 1);
  return new Date(now + step * 1000 * factor);
}

/** The longest Retry-After a sink may ask for; a consumer asking for more is waited on for 1 h. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * When to try again after a failed attempt, or null (dead) once the schedule is used up. While steps
 * remain, a sink's Retry-After hint (HTTP 429/503) replaces the step, capped at MAX_RETRY_AFTER_MS so a
 * misconfigured consumer cannot park a delivery for days; it does not extend the schedule.
 */
export function nextRetryAt(
  policy: RetryPolicy,
  attemptsSoFar: number,
  now: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): Date | null {
  const next = nextAttemptAt(policy, attemptsSoFar, now, random);
  if (next === null || retryAfterMs === undefined) return next;
  return new Date(now + Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS));
}
