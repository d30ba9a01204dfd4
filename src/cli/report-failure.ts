import { ConfigError } from '../config/errors.js';

/** Exit code for configuration errors (sysexits EX_CONFIG): systemd does not restart-loop on it. */
const EXIT_CONFIG = 78;

/**
 * The text meant for a person: every error class of ours that knows what to do next carries it as
 * `userMessage` (UserError, AuthSetupError, TwitchCallError, UnknownTypeError, …).
 */
function userMessageOf(error: unknown): string | undefined {
  const message = (error as { userMessage?: unknown } | null)?.userMessage;
  return typeof message === 'string' ? message : undefined;
}

/** An error that knows its exit code (e.g. 78 for a token only a new login fixes). */
function exitCodeOf(error: unknown): number | undefined {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Prints a failure for a person (what is wrong, what to do) and returns the exit code. Async: the
 * Twitch client's error class is loaded only when a failure needs it, not by every command's start.
 */
export async function reportFailure(error: unknown): Promise<number> {
  if (error instanceof ConfigError) {
    process.stderr.write(`eventsub-relay: configuration error: ${error.message}\n`);
    return EXIT_CONFIG;
  }
  const userMessage = userMessageOf(error);
  if (userMessage !== undefined) {
    process.stderr.write(`eventsub-relay: ${userMessage}\n`);
    return exitCodeOf(error) ?? 1;
  }
  const { HttpStatusCodeError } = await import('@twurple/api-call');
  if (error instanceof HttpStatusCodeError) {
    const { twitchErrorMessage } = await import('../auth/token-endpoint-errors.js');
    // Its own message repeats the URL, whose query may carry client_secret: never print that.
    const endpoint = error.url.split('?')[0];
    process.stderr.write(
      `eventsub-relay: Twitch answered HTTP ${error.statusCode} to ${error.method} ${endpoint}: ${twitchErrorMessage(error.body)}\n`,
    );
    return 1;
  }
  process.stderr.write(`eventsub-relay: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
