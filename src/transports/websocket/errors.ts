/** Exit code for problems a restart cannot fix (sysexits EX_CONFIG; the systemd unit does not restart on it). */
export const EXIT_NEEDS_A_PERSON = 78;

/**
 * Creating a session's subscriptions failed. `fatal`: nothing the relay can retry will help
 * (a token Twitch refuses, missing scopes, a removed version, the cost limit) — the service stops
 * with `userMessage` and exit code 78. Otherwise it is logged and the session is started again
 * with backoff (network, Twitch's 5xx, a session that closed meanwhile, the connection limit).
 */
export class SessionSetupError extends Error {
  readonly userMessage: string;
  readonly exitCode = EXIT_NEEDS_A_PERSON;
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'SessionSetupError';
    this.userMessage = message;
  }
}

/**
 * The broadcaster's user token could not be renewed (Twitch refused the refresh token: the user
 * revoked the authorization, changed their password, or it belongs to another client id).
 * Always fatal: only that user logging in again fixes it, so the message names the command.
 */
export class TokenRefreshError extends SessionSetupError {
  constructor(login: string, loginCommand: string, detail: string) {
    super(
      `cannot renew the user token of ${login} for the EventSub WebSocket subscriptions (${detail}). ` +
        `Log in as ${login} and run \`${loginCommand}\` (add --device on a headless server), then start the relay again.`,
      true,
    );
    this.name = 'TokenRefreshError';
  }
}
