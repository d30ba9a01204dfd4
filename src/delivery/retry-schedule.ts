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
