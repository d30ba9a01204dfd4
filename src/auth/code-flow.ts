import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exchangeCode, type AccessToken } from '@twurple/auth';
import { AuthSetupError } from './auth-errors.js';
import { explainTokenEndpointError, isTokenEndpointError } from './token-endpoint-errors.js';
import { twitchIdUrl } from './twitch-id-url.js';

/** The URL the user opens to authorize our client id with these scopes. */
function authorizeUrl(
  clientId: string,
  redirectUri: string,
  scopes: readonly string[],
  state: string,
): string {
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: scopes.join(' '),
    state,
    force_verify: 'true',
  });
  return `${twitchIdUrl('authorize')}?${query.toString()}`;
}

/**
 * Authorization code flow: listens on the redirect URI's host and port, prints the URL to open
 * (via `show`), waits for Twitch's redirect with `?code=`, checks `state`, exchanges the code.
 */
export async function loginWithCode(
  credentials: { clientId: string; clientSecret: string; redirectUri: string },
  scopes: readonly string[],
  show: (url: string) => void,
): Promise<AccessToken> {
  const redirect = new URL(credentials.redirectUri);
  const state = randomBytes(16).toString('hex');
  const code = await new Promise<string>((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', credentials.redirectUri);
      if (url.pathname !== redirect.pathname) return void res.writeHead(404).end();
      const finish = (status: number, text: string, outcome: () => void) => {
        res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(text);
        server.close();
        outcome();
      };
      if (url.searchParams.get('state') !== state) {
        return void res.writeHead(400).end('state does not match this login; start again');
      }
      const error = url.searchParams.get('error');
      if (error) {
        return finish(400, `Authorization failed: ${error}`, () =>
          reject(
            new AuthSetupError(
              `Twitch reported "${error}": ${url.searchParams.get('error_description') ?? 'authorization refused'}; run \`eventsub-relay auth login\` again`,
            ),
          ),
        );
      }
      const received = url.searchParams.get('code');
      if (!received) return void res.writeHead(400).end('no code in the redirect');
      finish(200, 'eventsub-relay is authorized. You can close this tab.', () => resolve(received));
    });
    server.once('error', (error) =>
      reject(
        new AuthSetupError(
          `cannot listen on ${redirect.host} for the OAuth redirect (${error.message}); set TWITCH_REDIRECT_URI to a free local address registered with your Twitch app, or use --device`,
        ),
      ),
    );
    server.listen(
      Number(redirect.port || 80),
      redirect.hostname === 'localhost' ? '127.0.0.1' : redirect.hostname,
      () => show(authorizeUrl(credentials.clientId, credentials.redirectUri, scopes, state)),
    );
  });
  try {
    return await exchangeCode(credentials.clientId, credentials.clientSecret, code, credentials.redirectUri);
  } catch (error) {
    if (isTokenEndpointError(error))
      throw explainTokenEndpointError('exchange the authorization code', error);
    throw error;
  }
}
