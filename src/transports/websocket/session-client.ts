import type { Logger } from '../../observability/logger.js';
import type { ReconnectBackoff } from './backoff.js';
import { logClose } from './close-log.js';
import { SessionConnection } from './connection.js';
import { KeepaliveWatchdog } from './keepalive-watchdog.js';
import type { WsMessage } from './messages.js';
import { SessionSetupError } from './errors.js';

type EventMessage = Extract<WsMessage, { kind: 'notification' | 'revocation' }>;

export interface SessionClientOptions {
  /** EVENTSUB_WS_URL: where every fresh session starts. */
  url: string;
  logger: Logger;
  backoff: ReconnectBackoff;
  maxMessageBytes: number;
  /** Creates the subscriptions on a new session (not after a session_reconnect: they carry over). */
  subscribe(sessionId: string): Promise<number>;
  /** The log line once `subscribe` succeeded (default: the subscriptions created). */
  readyMessage?(count: number): string;
  /** What a fresh session after a drop means for events (default: subscriptions created again, events lost meanwhile). */
  freshSessionNote?: string;
  /** Every notification and revocation, from whichever connection it came (dedup is the intake's). */
  deliver(message: EventMessage): void;
  /** A failure no retry can fix: the service should stop and say why. */
  fatal(error: SessionSetupError): void;
  /** How long a new connection may take to send its welcome (default 10 s). */
  welcomeTimeoutMs?: number;
  onConnected?(event: 'welcome' | 'reconnected' | 'dropped'): void;
}

/**
 * One user's EventSub WebSocket session, kept alive for as long as the relay runs:
 * - connect → `session_welcome` → create the subscriptions (Twitch closes an unused session after
 *   10 s) and watch for silence (keepalive_timeout_seconds + grace → assume it is lost);
 * - `session_reconnect` → open the reconnect_url as is, keep receiving on the old connection until
 *   the new one is welcomed, then close the old one; the subscriptions move with the session;
 * - a drop (any close, a failed reconnect, silence) → a fresh session at `url` after a backoff with
 *   jitter, subscriptions created again; each close is logged with what its code means.
 */
export class SessionClient {
  private current: SessionConnection | undefined;
  /** A connection not yet welcomed: a fresh start, or the target of a session_reconnect. */
  private pending: SessionConnection | undefined;
  private pendingIsReconnect = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private welcomeTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly watchdog: KeepaliveWatchdog;
  private readonly events = {
    message: (connection: SessionConnection, message: WsMessage) => this.onMessage(connection, message),
    closed: (connection: SessionConnection, code: number, reason: string) =>
      this.onClosed(connection, code, reason),
  };

  constructor(private readonly options: SessionClientOptions) {
    this.watchdog = new KeepaliveWatchdog((silentMs) => {
      this.options.logger.warn(
        { silentMs, sessionId: this.current?.sessionId },
        `no keepalive or notification for ${silentMs} ms (keepalive_timeout_seconds + grace): assuming the connection is lost`,
      );
      this.current?.terminate('keepalive timeout');
    });
  }

  /** The session id of the connection events arrive on now. */
  get sessionId(): string | undefined {
    return this.current?.sessionId;
  }

  start(): void {
    this.connect(this.options.url, false);
  }

  /** Closes every connection (1000) and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.welcomeTimer);
    this.watchdog.stop();
    this.pending?.close('relay stopping');
    this.current?.close('relay stopping');
  }

  private connect(url: string, isReconnect: boolean): void {
    if (this.stopped) return;
    this.pending = new SessionConnection(url, this.events, this.options.maxMessageBytes);
    this.pendingIsReconnect = isReconnect;
    const connection = this.pending;
    clearTimeout(this.welcomeTimer);
    this.welcomeTimer = setTimeout(
      () => connection.terminate('no session_welcome in time'),
      this.options.welcomeTimeoutMs ?? 10_000,
    );
    this.welcomeTimer.unref();
  }

  private onMessage(connection: SessionConnection, message: WsMessage): void {
    if (this.stopped) return;
    const { logger } = this.options;
    switch (message.kind) {
      case 'welcome':
        if (connection === this.pending)
          this.welcomed(connection, message.sessionId, message.keepaliveSeconds);
        return;
      case 'keepalive':
        if (connection === this.current) this.watchdog.touch();
        return;
      case 'notification':
      case 'revocation':
        if (connection === this.current) this.watchdog.touch();
        this.options.deliver(message);
        return;
      case 'reconnect':
        if (connection !== this.current || this.pending) return;
        logger.info(
          { sessionId: message.sessionId },
          'Twitch asked to reconnect (session_reconnect): opening the new URL, keeping this connection until it is welcomed',
        );
        this.connect(message.reconnectUrl, true);
        return;
      case 'invalid':
        logger.warn(
          { messageId: message.messageId?.slice(0, 128), reason: message.reason },
          `ignored a WebSocket message that is not one of Twitch's: ${message.reason} (nothing stored)`,
        );
        return;
    }
  }

  private welcomed(connection: SessionConnection, sessionId: string, keepaliveSeconds: number): void {
    clearTimeout(this.welcomeTimer);
    const moved = this.pendingIsReconnect;
    const previous = this.current;
    this.pending = undefined;
    this.current = connection;
    connection.sessionId = sessionId;
    this.watchdog.start(keepaliveSeconds);
    if (moved) {
      previous?.close('reconnected: the new connection was welcomed');
      this.options.logger.info(
        { sessionId, keepaliveSeconds },
        'reconnected: the new connection is welcomed and carries the subscriptions; the old one is closed',
      );
      this.options.onConnected?.('reconnected');
      return;
    }
    this.options.logger.info({ sessionId, keepaliveSeconds }, 'EventSub WebSocket session welcomed');
    this.options.onConnected?.('welcome');
    this.options.subscribe(sessionId).then(
      (count) => {
        if (this.stopped || connection !== this.current) return;
        this.options.backoff.reset();
        this.options.logger.info(
          { sessionId, subscriptions: count },
          this.options.readyMessage?.(count) ??
            `subscribed ${count} subscription(s) on the WebSocket session; receiving events`,
        );
      },
      (error: unknown) => {
        if (this.stopped) return; // the session was closed under it on purpose
        const setup =
          error instanceof SessionSetupError ? error : new SessionSetupError(String(error), false);
        if (setup.fatal) return this.options.fatal(setup);
        this.options.logger.error({ sessionId }, setup.message);
        connection.close('creating the subscriptions failed');
      },
    );
  }

  private onClosed(connection: SessionConnection, code: number, reason: string): void {
    if (this.stopped) return;
    const wasCurrent = connection === this.current;
    const wasPending = connection === this.pending;
    if (!wasCurrent && !wasPending) return; // the old connection of a finished reconnect
    logClose(this.options.logger, connection, code, reason);
    if (wasPending) {
      clearTimeout(this.welcomeTimer);
      this.pending = undefined;
      // A reconnect that failed is a drop: leaving the old connection open would only delay it.
      this.current?.close('the reconnect failed; starting a fresh session');
      this.current = undefined;
    } else {
      this.current = undefined;
      // The old connection ended first; a reconnect still on its way is still the way forward.
      if (this.pending && this.pendingIsReconnect) return this.watchdog.stop();
    }
    this.watchdog.stop();
    this.options.onConnected?.('dropped');
    this.scheduleFreshSession();
  }

  private scheduleFreshSession(): void {
    if (this.stopped || this.retryTimer) return;
    const delayMs = this.options.backoff.next();
    this.options.logger.info(
      { delayMs, attempt: this.options.backoff.attempts },
      `starting a new EventSub WebSocket session in ${delayMs} ms; ` +
        (this.options.freshSessionNote ??
          'its subscriptions are created again (events Twitch sends until then are lost: WebSockets have no replay)'),
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect(this.options.url, false);
    }, delayMs);
    this.retryTimer.unref();
  }
}
