/** A problem the user fixes by configuring or authorizing something; `userMessage` says what. */
export class AuthSetupError extends Error {
  readonly userMessage: string;
  constructor(message: string) {
    super(message);
    this.name = 'AuthSetupError';
    this.userMessage = message;
  }
}

/** The Twitch app credentials every Twitch call needs, or an error saying where to get them. */
export function requireClientCredentials(twitch: { clientId?: string; clientSecret?: string }): {
  clientId: string;
  clientSecret: string;
} {
  if (!twitch.clientId || !twitch.clientSecret) {
    const missing = [
      !twitch.clientId && 'TWITCH_CLIENT_ID',
      !twitch.clientSecret && 'TWITCH_CLIENT_SECRET',
    ].filter(Boolean);
    throw new AuthSetupError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set. Register an application at ` +
        'https://dev.twitch.tv/console/apps (OAuth redirect URL http://localhost:3000), then put its Client ID and ' +
        'Client Secret into TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (environment or .env).',
    );
  }
  return { clientId: twitch.clientId, clientSecret: twitch.clientSecret };
}
