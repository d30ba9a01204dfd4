/** What a close code from Twitch's EventSub WebSocket server means and what to do about it. */
export interface CloseAdvice {
  code: number;
  /** Twitch's name for it (docs, handling-websocket-events, "Close message"). */
  reason: string;
  /** What it means, in Twitch's words where they give any. */
  meaning: string;
  /** What a person should do; the relay itself always starts a new session and resubscribes. */
  advice: string;
  level: 'warn' | 'error';
}

const table: CloseAdvice[] = [
  {
    code: 4000,
    reason: 'internal server error',
    meaning: 'a problem on Twitch’s side (like an HTTP 500)',
    advice: 'nothing to fix here; if it repeats, check https://devstatus.twitch.tv',
    level: 'warn',
  },
  {
    code: 4001,
    reason: 'client sent inbound traffic',
    meaning: 'Twitch received a message from this side; only pong frames are allowed',
    advice:
      'the relay never sends messages, so something between it and Twitch (a proxy?) did; connect without it, or report a bug',
    level: 'error',
  },
  {
    code: 4002,
    reason: 'client failed ping-pong',
    meaning: 'a ping from Twitch was not answered with a pong in time',
    advice: 'the host was too busy or the network stalled; check CPU load and the network if it repeats',
    level: 'warn',
  },
  {
    code: 4003,
    reason: 'connection unused',
    meaning: 'no subscription was created within 10 seconds of the welcome',
    advice:
      'see the lines before this one for why creating the subscriptions failed or was slow (token, scopes, Helix reachable?)',
    level: 'error',
  },
  {
    code: 4004,
    reason: 'reconnect grace time expired',
    meaning: 'after a session_reconnect the move to the new URL did not finish within 30 seconds',
    advice: 'the reconnect URL was unreachable from here; check the network if it repeats',
    level: 'warn',
  },
  {
    code: 4005,
    reason: 'network timeout',
    meaning: 'a transient network timeout',
    advice: 'nothing to do unless it repeats; then check this host’s connection',
    level: 'warn',
  },
  {
    code: 4006,
    reason: 'network error',
    meaning: 'a transient network error',
    advice: 'nothing to do unless it repeats; then check this host’s connection',
    level: 'warn',
  },
  {
    code: 4007,
    reason: 'invalid reconnect',
    meaning: 'Twitch refused the reconnect URL it had sent',
    advice: 'nothing to do: the relay starts a fresh session at EVENTSUB_WS_URL instead',
    level: 'warn',
  },
];

const byCode = new Map(table.map((row) => [row.code, row]));

/** Every close code Twitch documents, in order (for the docs table and the tests). */
export const TWITCH_CLOSE_CODES: readonly CloseAdvice[] = table;

/**
 * Advice for any close code: Twitch's 4000–4007, or a generic line for the WebSocket standard
 * codes (1000 normal, 1006 dropped without a close frame, …).
 */
export function closeAdvice(code: number, reason: string): CloseAdvice {
  const known = byCode.get(code);
  if (known) return known;
  return {
    code,
    reason: reason || (code === 1006 ? 'connection dropped without a close frame' : 'closed'),
    meaning:
      code === 1006 ? 'the TCP connection ended without a WebSocket close' : 'not one of Twitch’s codes',
    advice: 'nothing to do unless it repeats; then check this host’s connection to EVENTSUB_WS_URL',
    level: 'warn',
  };
}
