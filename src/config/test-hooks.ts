/**
 * Variables only tests and local fakes set, outside the relay's schema (.env.example leaves them
 * out on purpose). Read per call, so a test can change them between calls.
 */

/** TWURPLE_MOCK_API_PORT: like @twurple/api-call, send Twitch calls to a local fake on this port. */
export function twitchMockApiPort(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TWURPLE_MOCK_API_PORT || undefined;
}

/** EVENTSUB_RELAY_BACKOFF_MS: the first wait after a Helix 429 (default 1 s; tests shorten it). */
export function helixBackoffBaseMs(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.EVENTSUB_RELAY_BACKOFF_MS ?? 1000);
}
