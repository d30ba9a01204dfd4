/** A finished attempt (failed with `error` when given), as a worker records it. */
export const attempt = (error?: string) => ({
  startedAt: new Date(Date.now() - 5),
  finishedAt: new Date(),
  ...(error && { error }),
});

/** An ISO time `days` days ago (fractions allowed). */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
