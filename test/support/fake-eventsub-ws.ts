import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSubscription, FakeTwitch } from './fake-twitch.js';
import {
  CLOSE_REASONS,
  disabledStatus,
  eventFrame,
  keepaliveFrame,
  reconnectFrame,
  twitchTimestamp,
  welcomeFrame,
} from './fake-eventsub-ws-messages.js';

/** One connection to the fake, as Twitch would track it. */
export interface FakeWsSession {
  id: string;
  connectedAt: string;
  keepaliveSeconds: number;
  open: boolean;
  /** Set once Helix created a subscription on it (before the subscribe window closed). */
  subscribed: boolean;
  /** The session a session_reconnect moved its subscriptions to. */
  movedTo?: string;
  /** How it closed, once it did. */
  closeCode?: number;
  socket: WebSocket;
  timers: NodeJS.Timeout[];
  keepaliveTimer?: NodeJS.Timeout;
}

/**
 * Twitch's EventSub WebSocket server, on 127.0.0.1, speaking the documented protocol: a
 * session_welcome on connect (keepalive_timeout_seconds from the query, 10–600, default 10);
 * session_keepalive whenever nothing was sent for that long; close 4003 when no subscription was
 * created within the subscribe window (10 s); 4001 on any message from the client; pings, and
 * 4002 when one is not answered; session_reconnect with a reconnect_url whose connection takes
 * over the subscriptions, the old one getting events until the new one is welcomed and closed
 * with 4004 if the client does not leave it within the grace time (30 s); an unknown
 * reconnect_id is closed with 4007. Subscriptions live in the FakeTwitch (Helix) it serves.
 */
export class FakeEventSubWs {
  readonly sessions = new Map<string, FakeWsSession>();
  /** Overrides the keepalive window the welcome announces (tests; Twitch allows 10–600 s). */
  keepaliveSeconds: number | undefined;
  subscribeWindowMs = 10_000;
  reconnectGraceMs = 30_000;
  pingIntervalMs = 5_000;
  /** false: stop sending session_keepalive (a silent connection). */
  sendKeepalives = true;
  /** Every text frame sent, in order (what a test can compare with what was stored). */
  readonly sent: Array<{ sessionId: string; frame: string }> = [];
  log: ((line: string) => void) | undefined;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  port = 0;

  constructor(readonly twitch: FakeTwitch) {
    twitch.webSockets = this;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((_req, res) => res.writeHead(426).end('WebSocket only'));
    this.wss = new WebSocketServer({ server: this.server, path: '/ws' });
    this.wss.on('connection', (socket, req) => this.accept(socket, new URL(req.url ?? '/', 'http://x')));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const session of this.sessions.values()) this.drop(session);
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()) ?? resolve());
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Open sessions (connected, not closed). */
  openSessions(): FakeWsSession[] {
    return [...this.sessions.values()].filter((s) => s.open);
  }

  /**
   * Sends a notification to every open session with an enabled subscription of `type`; returns
   * the message ids. `messageId` resends an id (Twitch's "at least once").
   */
  notify(type: string, event: Record<string, unknown>, options: { messageId?: string } = {}): string[] {
    const ids: string[] = [];
    for (const sub of this.enabled((s) => s.type === type)) {
      const session = this.sessions.get(sub.transport.session_id!);
      if (!session?.open) continue;
      const id = options.messageId ?? randomUUID();
      this.send(session, eventFrame('notification', sub, event, id));
      ids.push(id);
    }
    return ids;
  }

  /** Revokes a websocket subscription: status `status`, one revocation message, no more events. */
  revoke(subscriptionId: string, status: string): string | undefined {
    const sub = this.twitch.subscriptions.find((s) => s.id === subscriptionId);
    const session = sub && this.sessions.get(sub.transport.session_id!);
    if (!sub || !session?.open) return undefined;
    sub.status = status;
    const id = randomUUID();
    this.send(session, eventFrame('revocation', sub, undefined, id));
    return id;
  }

  /** Sends session_reconnect; the client's new connection to its reconnect_url takes over. */
  requestReconnect(
    sessionId: string,
    reconnectUrl = `${this.url}?reconnect_id=${encodeURIComponent(sessionId)}`,
  ): void {
    const session = this.sessions.get(sessionId)!;
    this.send(session, reconnectFrame(session, reconnectUrl));
    const grace = setTimeout(() => {
      if (session.open) this.closeSession(session.id, 4004);
    }, this.reconnectGraceMs);
    session.timers.push(grace);
  }

  /** Closes a session with one of Twitch's codes (4000–4007) or any other. */
  closeSession(sessionId: string, code: number): void {
    const session = this.sessions.get(sessionId);
    if (!session?.open) return;
    session.socket.close(code, CLOSE_REASONS[code] ?? 'closed');
    this.ended(session, code);
  }

  /** Sends a frame as is (malformed-message tests); bytes go out as a text frame, unchecked. */
  sendRaw(sessionId: string, frame: string | Buffer): void {
    const session = this.sessions.get(sessionId)!;
    if (typeof frame === 'string') return this.send(session, frame);
    if (session.open) session.socket.send(frame, { binary: false });
  }

  /** A notification frame for the enabled subscription of `type` on this session (to alter before sendRaw). */
  notificationFrame(sessionId: string, type: string, event: Record<string, unknown>): string {
    const sub = this.enabled((s) => s.type === type && s.transport.session_id === sessionId)[0]!;
    return eventFrame('notification', sub, event, randomUUID());
  }

  private accept(socket: WebSocket, url: URL): void {
    const requested = Number(url.searchParams.get('keepalive_timeout_seconds') ?? 10);
    const keepaliveSeconds = this.keepaliveSeconds ?? Math.min(600, Math.max(10, requested || 10));
    const session: FakeWsSession = {
      id: `fake_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      connectedAt: twitchTimestamp(),
      keepaliveSeconds,
      open: true,
      subscribed: false,
      socket,
      timers: [],
    };
    this.sessions.set(session.id, session);
    socket.on('message', () => this.closeSession(session.id, 4001));
    socket.on('close', (code) => this.ended(session, code));
    const reconnectOf = url.searchParams.get('reconnect_id');
    if (reconnectOf !== null) {
      const old = this.sessions.get(reconnectOf);
      if (!old?.open || old.movedTo) return this.closeSession(session.id, 4007);
      this.send(session, welcomeFrame(session));
      // The subscriptions move with the session once the new connection is welcomed.
      old.movedTo = session.id;
      session.subscribed = true;
      for (const sub of this.twitch.subscriptions.filter((s) => s.transport.session_id === old.id)) {
        sub.transport.session_id = session.id;
      }
      this.twitch.conduits.sessionMoved(old.id, session);
    } else {
      this.send(session, welcomeFrame(session));
      session.timers.push(
        setTimeout(() => {
          if (!session.subscribed) this.closeSession(session.id, 4003);
        }, this.subscribeWindowMs),
      );
    }
    this.startPings(session);
    this.log?.(`session ${session.id} connected${reconnectOf ? ` (reconnect of ${reconnectOf})` : ''}`);
  }

  private startPings(session: FakeWsSession): void {
    let answered = true;
    session.socket.on('pong', () => (answered = true));
    const timer = setInterval(() => {
      if (!answered) return this.closeSession(session.id, 4002);
      answered = false;
      session.socket.ping();
    }, this.pingIntervalMs);
    session.timers.push(timer);
  }

  private send(session: FakeWsSession, frame: string): void {
    if (!session.open) return;
    session.socket.send(frame);
    this.sent.push({ sessionId: session.id, frame });
    clearTimeout(session.keepaliveTimer);
    session.keepaliveTimer = setTimeout(() => {
      if (this.sendKeepalives) this.send(session, keepaliveFrame());
    }, session.keepaliveSeconds * 1000);
  }

  private enabled(match: (s: FakeSubscription) => boolean): FakeSubscription[] {
    return this.twitch.subscriptions.filter(
      (s) => s.transport.method === 'websocket' && s.status === 'enabled' && match(s),
    );
  }

  /** The connection ended (either side): its subscriptions are disabled unless they moved on. */
  private ended(session: FakeWsSession, code: number): void {
    if (!session.open) return;
    session.open = false;
    session.closeCode = code;
    this.drop(session);
    const now = twitchTimestamp();
    for (const sub of this.enabled((s) => s.transport.session_id === session.id)) {
      sub.status = disabledStatus(code);
      sub.transport.disconnected_at = now;
    }
    this.twitch.conduits.sessionEnded(session.id, code);
    this.log?.(`session ${session.id} closed with ${code}`);
  }

  private drop(session: FakeWsSession): void {
    for (const timer of session.timers) clearTimeout(timer);
    clearTimeout(session.keepaliveTimer);
    if (session.open) session.socket.terminate();
  }
}
