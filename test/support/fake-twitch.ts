import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** One request the fake received (for "nothing was sent to Twitch" assertions). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeUser {
  id: string;
  login: string;
}

/** A user token the fake knows: whose it is and which scopes it carries. */
export interface FakeToken {
  userId: string;
  scopes: string[];
}

export interface FakeSubscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: Record<string, string>;
  transport: { method: string; callback: string };
  created_at: string;
  cost: number;
}

/**
 * A fake of Twitch's OAuth (id.twitch.tv) and Helix EventSub API in the URL layout twurple uses
 * with TWURPLE_MOCK_API_PORT: /auth/<endpoint>, /mock/<helix endpoint>, /eventsub/subscriptions.
 * Real node:http on 127.0.0.1; every request is recorded; behaviour is scripted through fields.
 */
export class FakeTwitch {
  readonly requests: RecordedRequest[] = [];
  readonly users: FakeUser[] = [];
  /** access token → owner; refresh token → the token a refresh yields. */
  readonly tokens = new Map<string, FakeToken>();
  readonly refreshTokens = new Map<string, { accessToken: string; refreshToken: string }>();
  readonly subscriptions: FakeSubscription[] = [];
  /** Authorization codes (from the code flow's redirect) → the token they exchange for. */
  readonly codes = new Map<string, { accessToken: string; refreshToken: string }>();
  /** Status codes to answer the next creates with before behaving normally (e.g. [429], [403]). */
  createFailures: number[] = [];
  /** Answers to the device-code token polls, in order: 'pending', 'granted', 'denied', 'expired'. */
  devicePolls: Array<'pending' | 'granted' | 'denied' | 'expired'> = [];
  /** The token handed out when a device poll is granted. */
  deviceToken = { accessToken: 'device-access', refreshToken: 'device-refresh' };
  pageSize = 100;
  readonly clientId = 'fake-client-id';
  readonly clientSecret = 'fake-client-secret';
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const recorded = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        this.requests.push(recorded);
        this.route(recorded, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Registers a user and a token for them with these scopes; returns the token. */
  addUser(user: FakeUser, scopes: string[], accessToken = `access-${user.login}`): string {
    this.users.push(user);
    this.tokens.set(accessToken, { userId: user.id, scopes });
    return accessToken;
  }

  /** Requests to the Helix EventSub endpoint (what subscription calls reached "Twitch"). */
  eventSubRequests(method?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path === '/eventsub/subscriptions' && (!method || r.method === method),
    );
  }

  private route(req: RecordedRequest, res: ServerResponse): void {
    const key = `${req.method} ${req.path}`;
    const form = new URLSearchParams(req.body);
    const params = (name: string) => req.query.get(name) ?? form.get(name);
    switch (key) {
      case 'POST /auth/token':
        return this.token(params, res);
      case 'GET /auth/validate':
        return this.validate(req, res);
      case 'POST /auth/revoke':
        this.tokens.delete(params('token') ?? '');
        return json(res, 200, {});
      case 'POST /auth/device':
        return json(res, 200, {
          device_code: 'dev-code',
          user_code: 'ABCD-EFGH',
          verification_uri: 'https://www.twitch.tv/activate?device-code=ABCD-EFGH',
          expires_in: 1800,
          interval: 0,
        });
      case 'GET /mock/users': {
        const logins = req.query.getAll('login');
        const ids = req.query.getAll('id');
        const data = this.users
          .filter((u) => logins.includes(u.login) || ids.includes(u.id))
          .map((u) => ({
            id: u.id,
            login: u.login,
            display_name: u.login,
            type: '',
            broadcaster_type: '',
            description: '',
            profile_image_url: '',
            offline_image_url: '',
            view_count: 0,
            created_at: '2020-01-01T00:00:00Z',
          }));
        return json(res, 200, { data });
      }
      case 'POST /eventsub/subscriptions':
        return this.create(req, res);
      case 'GET /eventsub/subscriptions':
        return this.list(req, res);
      case 'DELETE /eventsub/subscriptions': {
        const index = this.subscriptions.findIndex((s) => s.id === req.query.get('id'));
        if (index < 0)
          return json(res, 404, { error: 'Not Found', status: 404, message: 'subscription not found' });
        this.subscriptions.splice(index, 1);
        res.writeHead(204).end();
        return;
      }
      default:
        return json(res, 404, { error: 'Not Found', status: 404, message: `fake has no ${key}` });
    }
  }

  private token(params: (name: string) => string | null, res: ServerResponse): void {
    const grant = params('grant_type');
    if (params('client_id') !== this.clientId)
      return json(res, 400, { status: 400, message: 'invalid client' });
    if (grant === 'client_credentials') {
      if (params('client_secret') !== this.clientSecret)
        return json(res, 403, { status: 403, message: 'invalid client secret' });
      return json(res, 200, { access_token: 'app-token', expires_in: 5000000, token_type: 'bearer' });
    }
    if (grant === 'refresh_token') {
      const next = this.refreshTokens.get(params('refresh_token') ?? '');
      if (!next) return json(res, 400, { status: 400, message: 'Invalid refresh token' });
      const owner = this.tokens.get(next.accessToken)!;
      return json(res, 200, {
        access_token: next.accessToken,
        refresh_token: next.refreshToken,
        expires_in: 14000,
        scope: owner.scopes,
        token_type: 'bearer',
      });
    }
    if (grant === 'authorization_code') {
      const issued = this.codes.get(params('code') ?? '');
      if (!issued || params('client_secret') !== this.clientSecret)
        return json(res, 400, { status: 400, message: 'Invalid authorization code' });
      const owner = this.tokens.get(issued.accessToken)!;
      return json(res, 200, {
        access_token: issued.accessToken,
        refresh_token: issued.refreshToken,
        expires_in: 14000,
        scope: owner.scopes,
        token_type: 'bearer',
      });
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const answer = this.devicePolls.shift() ?? 'pending';
      if (answer === 'pending') return json(res, 400, { status: 400, message: 'authorization_pending' });
      if (answer === 'denied') return json(res, 400, { status: 400, message: 'authorization_denied' });
      if (answer === 'expired') return json(res, 400, { status: 400, message: 'invalid device code' });
      const owner = this.tokens.get(this.deviceToken.accessToken)!;
      return json(res, 200, {
        access_token: this.deviceToken.accessToken,
        refresh_token: this.deviceToken.refreshToken,
        expires_in: 14000,
        scope: owner.scopes,
        token_type: 'bearer',
      });
    }
    return json(res, 400, { status: 400, message: `unsupported grant_type ${grant}` });
  }

  private validate(req: RecordedRequest, res: ServerResponse): void {
    const token = String(req.headers.authorization ?? '').replace(/^OAuth /, '');
    if (token === 'app-token')
      return json(res, 200, { client_id: this.clientId, scopes: [], expires_in: 5000000 });
    const owner = this.tokens.get(token);
    if (!owner) return json(res, 401, { status: 401, message: 'invalid access token' });
    const user = this.users.find((u) => u.id === owner.userId)!;
    json(res, 200, {
      client_id: this.clientId,
      login: user.login,
      user_id: user.id,
      scopes: owner.scopes,
      expires_in: 14000,
    });
  }

  private create(req: RecordedRequest, res: ServerResponse): void {
    if (req.headers.authorization !== 'Bearer app-token') {
      return json(res, 401, {
        error: 'Unauthorized',
        status: 401,
        message: 'An app access token is required for webhook transport',
      });
    }
    const failure = this.createFailures.shift();
    const messages: Record<number, string> = {
      400: 'The value in the version field is not valid',
      403: 'subscription missing proper authorization',
      429: 'maximum subscriptions with type and condition exceeded',
    };
    if (failure)
      return json(res, failure, {
        error: 'error',
        status: failure,
        message: messages[failure] ?? 'scripted failure',
      });
    const body = JSON.parse(req.body) as {
      type: string;
      version: string;
      condition: Record<string, string>;
      transport: { method: string; callback: string; secret: string };
    };
    const same = (s: FakeSubscription) =>
      s.type === body.type &&
      JSON.stringify(sorted(s.condition)) === JSON.stringify(sorted(body.condition)) &&
      s.transport.callback === body.transport.callback;
    if (this.subscriptions.some(same))
      return json(res, 409, { error: 'Conflict', status: 409, message: 'subscription already exists' });
    const sub: FakeSubscription = {
      id: randomUUID(),
      status: 'webhook_callback_verification_pending',
      type: body.type,
      version: body.version,
      condition: body.condition,
      transport: { method: 'webhook', callback: body.transport.callback },
      created_at: new Date().toISOString(),
      cost: 0,
    };
    this.subscriptions.push(sub);
    json(res, 202, { data: [sub], total: this.subscriptions.length, total_cost: 0, max_total_cost: 10000 });
  }

  private list(req: RecordedRequest, res: ServerResponse): void {
    const start = Number(req.query.get('after') ?? 0);
    const page = this.subscriptions.slice(start, start + this.pageSize);
    const next =
      start + this.pageSize < this.subscriptions.length ? String(start + this.pageSize) : undefined;
    const totalCost = this.subscriptions.reduce((sum, s) => sum + s.cost, 0);
    json(res, 200, {
      data: page,
      total: this.subscriptions.length,
      total_cost: totalCost,
      max_total_cost: 10000,
      pagination: next ? { cursor: next } : {},
    });
  }
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // Helix sends its rate-limit bucket on every answer; with requests left, twurple surfaces a 429 instead of waiting it out.
  res
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Ratelimit-Limit': '800',
      'Ratelimit-Remaining': '799',
      'Ratelimit-Reset': String(Math.ceil(Date.now() / 1000) + 60),
    })
    .end(text);
}
