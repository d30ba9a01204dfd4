import { getAppToken } from '@twurple/auth';
import { requireClientCredentials } from '../../../auth/auth-errors.js';
import { createAuthProvider } from '../../../auth/auth-provider.js';
import { TokenStore } from '../../../auth/token-store.js';
import { explainTokenEndpointError, isTokenEndpointError } from '../../../auth/token-endpoint-errors.js';
import { TwitchSubscriptions } from '../../../subscriptions/twitch-api.js';
import { findings, type Check } from './check.js';
import { messageOf } from './runner.js';

/** The Twitch application: credentials set, and Twitch issues an app access token for them. */
export const twitchAppCheck: Check = {
  id: 'twitch-app',
  title: 'Twitch application',
  hard: true,
  async run(state) {
    const f = findings(twitchAppCheck);
    const config = state.config;
    if (!config) return [f.skip('needs a valid configuration')];
    let credentials;
    try {
      credentials = requireClientCredentials({
        clientId: config.env.TWITCH_CLIENT_ID,
        clientSecret: config.env.TWITCH_CLIENT_SECRET,
      });
    } catch (error) {
      return [f.fail('no credentials', messageOf(error))];
    }
    try {
      const token = await getAppToken(credentials.clientId, credentials.clientSecret);
      const days = token.expiresIn ? Math.floor(token.expiresIn / 86_400) : undefined;
      state.credentials = credentials;
      state.tokens = new TokenStore(config.dataDir);
      state.twitch = new TwitchSubscriptions(createAuthProvider(credentials, state.tokens));
      return [
        f.ok(
          `client id ${credentials.clientId}: Twitch issued an app access token${days !== undefined ? ` (valid ${days} days)` : ''}`,
        ),
      ];
    } catch (error) {
      const explained = isTokenEndpointError(error)
        ? explainTokenEndpointError('get an app access token', error)
        : error;
      return [f.fail(`client id ${credentials.clientId}: no app access token`, messageOf(explained))];
    }
  },
};
