import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { json } from './fake-twitch-json.js';
import { routeOAuth, type OAuthState } from './fake-twitch-oauth.js';
import type { FakeEventSubWs } from './fake-eventsub-ws.js';
import { routeWebSocketHelix } from './fake-twitch-websocket.js';
import {
  TWITCH_LIKE_POLICY,
  verifyCallback,
  type CallbackDelivery,
  type DeliveryPolicy,
} from './fake-twitch-callbacks.js';
import { routeTrigger, type TriggerState } from './fake-twitch-trigger.js';
import { FakeConduits } from './fake-twitch-conduits.js';
import { routeConduitHelix } from './fake-twitch-conduits-helix.js';

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
  /** Twitch no longer accepts it (401 "Invalid OAuth token"): a refresh is needed. */
  expired?: boolean;
}

export interface FakeSubscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: Record<string, string>;
  transport: {
    method: string;
    callback?: string;
    session_id?: string;
    conduit_id?: string;
    connected_at?: string;
    disconnected_at?: string;
  };
  created_at: string;
  cost: number;
}

export interface FakeTwitchOptions {
  clientId?: string;
  clientSecret?: string;
  /**
   * Behave like Twitch towards the callback (default true): a webhook create sends the signed
   * challenge and enables the subscription only on an exact echo; `/__fake/trigger` delivers.
   * Off for tests whose PUBLIC_URL nobody serves: subscriptions then stay pending.
   */
  callbacks?: boolean;
  /** Retry schedule and timeout for callbacks (scale it down in tests). */
  delivery?: Partial<DeliveryPolicy>;
}

/**
 * A fake of Twitch's OAuth (id.twitch.tv) and Helix EventSub API in the URL layout twurple uses
 * with TWURPLE_MOCK_API_PORT: /auth/<endpoint>, /mock/<helix endpoint>, /eventsub/subscriptions.
 * Like Twitch it calls the subscriptions' callbacks (challenge, notifications with retries,
 * revocations; `POST /__fake/trigger`). Real node:http on 127.0.0.1; every request is recorded;
 * behaviour is scripted through fields. `npm run fake-twitch` runs it on its own (fake-twitch-main.ts).
 */
export class FakeTwitch implements OAuthState, TriggerState {
  readonly requests: RecordedRequest[] = [];
  readonly users: FakeUser[] = [];
  /** access token → owner; refresh token → the token a refresh yields. */
  readonly tokens = new Map<string, FakeToken>();
  readonly refreshTokens = new Map<string, { accessToken: string; refreshToken: string }>();
  readonly subscriptions: FakeSubscription[] = [];
  /** Authorization codes (from the code flow's redirect) → the token they exchange for. */
  readonly codes = new Map<string, { accessToken: string; refreshToken: string }>();
  /** Status codes to answer the next creates with before behaving normally (e.g. [429], [403], [409]). */
  createFailures: number[] = [];
  /** Device codes handed out → the scopes they asked for (granted as asked). */
  readonly deviceCodes = new Map<string, string[]>();
  /** Answers to the device-code token polls, in order: 'pending', 'granted', 'denied', 'expired'. */
  devicePolls: Array<'pending' | 'granted' | 'denied' | 'expired'> = [];
  /** Login of the user "signed in" at the fake's authorize page and device activation; default: the first user. */
  browserUser: string | undefined;
  pageSize = 100;
  /** The EventSub WebSocket server whose sessions websocket subscriptions are created on. */
  webSockets: FakeEventSubWs | undefined;
  /** Conduits and their shards (sessions of `webSockets`), with the conduit Helix endpoints. */
  readonly conduits = new FakeConduits(this);
  /** Called with one line per answered request (the runnable fake prints them). */
  log: ((line: string) => void) | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  /** subscription id → the secret it was created with (Twitch keeps it to sign every message). */
  readonly secrets = new Map<string, string>();
  /** Every message sent to a callback (notifications and revocations), with its attempts. */
  readonly deliveries: CallbackDelivery[] = [];
  readonly policy: DeliveryPolicy;
  readonly callbacks: boolean;
  private server: Server | undefined;
  private issued = 0;
  port = 0;

  constructor(options: FakeTwitchOptions = {}) {
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.callbacks = options.callbacks ?? true;
    this.policy = { ...TWITCH_LIKE_POLICY, ...options.delivery };
  }

  async start(port = 0): Promise<this> {
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
        res.on('finish', () => this.log?.(`${recorded.method} ${recorded.path} → ${res.statusCode}`));
        this.route(recorded, res);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops kept-alive connections (clients' pools would otherwise hold it open). */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Registers a user and a token for them with these scopes; returns the token. */
  addUser(user: FakeUser, scopes: string[], accessToken = `access-${user.login}`): string {
    this.users.push(user);
    this.tokens.set(accessToken, { userId: user.id, scopes });
    return accessToken;
  }

  /** Mints a new user token (and a refresh token that renews it) with exactly these scopes. */
  issueToken(userId: string, scopes: string[]): { accessToken: string; refreshToken: string } {
    const n = ++this.issued;
    const issued = { accessToken: `issued-access-${n}`, refreshToken: `issued-refresh-${n}` };
    this.tokens.set(issued.accessToken, { userId, scopes: [...scopes] });
    this.refreshTokens.set(issued.refreshToken, issued);
    return issued;
  }

  /** Requests to the Helix EventSub endpoint (what subscription calls reached "Twitch"). */
  eventSubRequests(method?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path === '/eventsub/subscriptions' && (!method || r.method === method),
    );
  }

  private route(req: RecordedRequest, res: ServerResponse): void {
    if (routeOAuth(this, req, res)) return;
    if (routeConduitHelix(this, req, res)) return;
    if (routeWebSocketHelix(this, req, res)) return;
    const key = `${req.method} ${req.path}`;
    switch (key) {
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
        return void this.create(req, res).catch((error: Error) =>
          json(res, 500, { status: 500, message: `fake could not create: ${error.message}` }),
        );
      case 'POST /__fake/trigger':
        if (!this.callbacks)
          return json(res, 409, { status: 409, message: 'this fake was started with callbacks off' });
        return routeTrigger(this, req, res);
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

  private async create(req: RecordedRequest, res: ServerResponse): Promise<void> {
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
      409: 'subscription already exists',
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
      is_batching_enabled?: boolean;
    };
    if (body.type === 'drop.entitlement.grant' && body.is_batching_enabled !== true) {
      return json(res, 400, {
        error: 'Bad Request',
        status: 400,
        message: 'is_batching_enabled must be true for drop.entitlement.grant subscriptions',
      });
    }
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
    this.secrets.set(sub.id, body.transport.secret);
    const created = { ...sub }; // Twitch answers 202 with the subscription still pending
    // Twitch sends the challenge right after the create; the fake finishes it before answering, so a
    // `list` right after `subscribe` already shows the outcome.
    if (this.callbacks && body.transport.method === 'webhook')
      await verifyCallback(sub, body.transport.secret, this.policy, this.log);
    json(res, 202, {
      data: [created],
      total: this.subscriptions.length,
      total_cost: 0,
      max_total_cost: 10000,
    });
  }

  /** With the app token: webhook and conduit subscriptions (websocket ones need a user token). */
  private list(req: RecordedRequest, res: ServerResponse): void {
    const listed = this.subscriptions.filter((s) => s.transport.method !== 'websocket');
    const start = Number(req.query.get('after') ?? 0);
    const page = listed.slice(start, start + this.pageSize);
    const next = start + this.pageSize < listed.length ? String(start + this.pageSize) : undefined;
    const totalCost = listed.reduce((sum, s) => sum + s.cost, 0);
    json(res, 200, {
      data: page,
      total: listed.length,
      total_cost: totalCost,
      max_total_cost: 10000,
      pagination: next ? { cursor: next } : {},
    });
  }
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
