import WebSocket from 'ws';
import { parseWsFrame, type WsMessage } from './messages.js';

/** What a connection reports to the session client that owns it. */
export interface ConnectionEvents {
  message(connection: SessionConnection, message: WsMessage): void;
  closed(connection: SessionConnection, code: number, reason: string): void;
}

/**
 * One WebSocket connection to the EventSub server. It never sends anything: Twitch closes a
 * connection that does (4001), and the ws library answers Twitch's pings with pongs by itself.
 * Text frames are parsed into WsMessages; `closed` fires exactly once, also when the connection
 * could not be opened (code 1006, with the socket error as the reason).
 */
export class SessionConnection {
  private readonly socket: WebSocket;
  private lastError: string | undefined;
  /** Why this side closed it, when it did (logged instead of the close code's advice). */
  closedBecause: string | undefined;
  /** The session id from this connection's welcome. */
  sessionId: string | undefined;

  constructor(
    readonly url: string,
    private readonly events: ConnectionEvents,
    maxMessageBytes: number,
  ) {
    // UTF-8 is checked by parseWsFrame, as for webhook bodies: a bad frame is refused and logged,
    // and the session goes on (ws's own check would close the connection with 1007).
    this.socket = new WebSocket(url, {
      handshakeTimeout: 10_000,
      maxPayload: maxMessageBytes,
      skipUTF8Validation: true,
    });
    this.socket.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      const message: WsMessage = isBinary
        ? { kind: 'invalid', reason: 'binary frame (Twitch sends text frames)' }
        : parseWsFrame(bytes);
      this.events.message(this, message);
    });
    this.socket.on('error', (error) => {
      this.lastError = error.message;
    });
    this.socket.on('close', (code, reason) => {
      this.events.closed(this, code, reason.toString() || this.lastError || '');
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Closes it from this side (1000 = done with it); `why` is logged instead of advice. */
  close(why: string, code = 1000): void {
    this.closedBecause ??= why;
    if (this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    else this.socket.close(code, why.slice(0, 120));
  }

  /** Drops it at once without a close handshake (a silent connection may never answer one). */
  terminate(why: string): void {
    this.closedBecause ??= why;
    this.socket.terminate();
  }
}
