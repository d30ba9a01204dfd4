import type { ServerResponse } from 'node:http';
import type { FakeToken, FakeUser, RecordedRequest } from './fake-twitch.js';
import { json } from './fake-twitch-json.js';

/** The OAuth state the fake keeps; FakeTwitch implements it (fields documented there). */
export interface OAuthState {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly users: FakeUser[];
  readonly tokens: Map<string, FakeToken>;
  readonly refreshTokens: Map<string, { accessToken: string; refreshToken: string }>;
  readonly codes: Map<string, { accessToken: string; refreshToken: string }>;
  readonly deviceCodes: Map<string, string[]>;
  devicePolls: Array<'pending' | 'granted' | 'denied' | 'expired'>;
  browserUser: string | undefined;
  issueToken(userId: string, scopes: string[]): { accessToken: string; refreshToken: string };
}

type Params = (name: string) => string | null;

/** Twitch's answers for bad application credentials (id.twitch.tv, every grant). */
const INVALID_CLIENT = { status: 400, message: 'invalid client' };
const INVALID_SECRET = { status: 403, message: 'invalid client secret' };

/**
 * id.twitch.tv as twurple reaches it with TWURPLE_MOCK_API_PORT (`/auth/<endpoint>`). Returns
 * false for paths that are not OAuth. Like Twitch: a wrong client_id is 400 "invalid client",
 * a wrong client_secret 403 "invalid client secret"; authorize and device grants hand out a
 * token with exactly the scopes requested, for the user "signed in" to the fake's browser.
 */
export function routeOAuth(state: OAuthState, req: RecordedRequest, res: ServerResponse): boolean {
  const form = new URLSearchParams(req.body);
  const params: Params = (name) => req.query.get(name) ?? form.get(name);
  switch (`${req.method} ${req.path}`) {
    case 'POST /auth/token':
      token(state, params, res);
      return true;
    case 'GET /auth/validate':
      validate(state, req, res);
      return true;
    case 'POST /auth/revoke':
      state.tokens.delete(params('token') ?? '');
      json(res, 200, {});
      return true;
    case 'GET /auth/authorize':
      authorize(state, params, res);
      return true;
    case 'POST /auth/device':
      device(state, params, res);
      return true;
    default:
      return false;
  }
}

function splitScopes(value: string | null): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

function signedIn(state: OAuthState): FakeUser | undefined {
  return state.browserUser ? state.users.find((u) => u.login === state.browserUser) : state.users[0];
}

/** Device Code Grant, step 1: remember which scopes this device code asks for. */
function device(state: OAuthState, params: Params, res: ServerResponse): void {
  if (params('client_id') !== state.clientId) return json(res, 400, INVALID_CLIENT);
  const code = `dev-code-${state.deviceCodes.size + 1}`;
  state.deviceCodes.set(code, splitScopes(params('scopes')));
  json(res, 200, {
    device_code: code,
    user_code: 'ABCD-EFGH',
    verification_uri: 'https://www.twitch.tv/activate?device-code=ABCD-EFGH',
    expires_in: 1800,
    interval: 0,
  });
}

/** The browser step: "log in" as the signed-in user, consent, and redirect back with a code. */
function authorize(state: OAuthState, params: Params, res: ServerResponse): void {
  if (params('client_id') !== state.clientId) return json(res, 400, INVALID_CLIENT);
  const redirect = params('redirect_uri');
  const user = signedIn(state);
  if (!redirect || !user)
    return json(res, 400, { status: 400, message: redirect ? 'no user signed in' : 'missing redirect_uri' });
  const code = `code-${state.codes.size + 1}`;
  state.codes.set(code, state.issueToken(user.id, splitScopes(params('scope'))));
  const target = new URL(redirect);
  target.searchParams.set('code', code);
  target.searchParams.set('scope', params('scope') ?? '');
  target.searchParams.set('state', params('state') ?? '');
  res.writeHead(302, { Location: target.toString(), 'Content-Length': '0' }).end();
}

function token(state: OAuthState, params: Params, res: ServerResponse): void {
  const grant = params('grant_type');
  if (params('client_id') !== state.clientId) return json(res, 400, INVALID_CLIENT);
  const device = grant === 'urn:ietf:params:oauth:grant-type:device_code';
  // Device Code Grant works for public clients without a secret; every other grant needs it.
  if (!device && params('client_secret') !== state.clientSecret) return json(res, 403, INVALID_SECRET);
  if (grant === 'client_credentials')
    return json(res, 200, { access_token: 'app-token', expires_in: 5000000, token_type: 'bearer' });
  if (grant === 'refresh_token') {
    const next = state.refreshTokens.get(params('refresh_token') ?? '');
    if (!next) return json(res, 400, { status: 400, message: 'Invalid refresh token' });
    return userToken(state, res, next);
  }
  if (grant === 'authorization_code') {
    const issued = state.codes.get(params('code') ?? '');
    if (!issued) return json(res, 400, { status: 400, message: 'Invalid authorization code' });
    state.codes.delete(params('code') ?? ''); // a code works once
    return userToken(state, res, issued);
  }
  if (device) {
    const answer = state.devicePolls.shift() ?? 'pending';
    if (answer === 'pending') return json(res, 400, { status: 400, message: 'authorization_pending' });
    if (answer === 'denied') return json(res, 400, { status: 400, message: 'authorization_denied' });
    if (answer === 'expired') return json(res, 400, { status: 400, message: 'invalid device code' });
    const user = signedIn(state);
    if (!user) return json(res, 400, { status: 400, message: 'no user signed in' });
    const scopes = state.deviceCodes.get(params('device_code') ?? '') ?? [];
    return userToken(state, res, state.issueToken(user.id, scopes));
  }
  json(res, 400, { status: 400, message: `unsupported grant_type ${grant}` });
}

function userToken(
  state: OAuthState,
  res: ServerResponse,
  issued: { accessToken: string; refreshToken: string },
) {
  const owner = state.tokens.get(issued.accessToken)!;
  json(res, 200, {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    expires_in: 14000,
    scope: owner.scopes,
    token_type: 'bearer',
  });
}

function validate(state: OAuthState, req: RecordedRequest, res: ServerResponse): void {
  const token = String(req.headers.authorization ?? '').replace(/^OAuth /, '');
  if (token === 'app-token')
    return json(res, 200, { client_id: state.clientId, scopes: [], expires_in: 5000000 });
  const owner = state.tokens.get(token);
  if (!owner) return json(res, 401, { status: 401, message: 'invalid access token' });
  const user = state.users.find((u) => u.id === owner.userId)!;
  json(res, 200, {
    client_id: state.clientId,
    login: user.login,
    user_id: user.id,
    scopes: owner.scopes,
    expires_in: 14000,
  });
}
