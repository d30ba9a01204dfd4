import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../observability/logger.js';

/** How long a refused connection may stay half-open after its answer. */
const CLIENT_ERROR_LINGER_MS = 5_000;

/** What Node's HTTP parser refused, as the status and `error` code the client gets. */
function classify(error: NodeJS.ErrnoException): { status: number; code: string; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'headers_too_large',
        message: 'request headers are larger than this server accepts (16 KiB); Twitch sends far less',
      };
    case 'HPE_INVALID_EOF_STATE':
      // The client closed its side in the middle of a request (a body shorter than its Content-Length).
      return {
        status: 400,
        code: 'client_closed',
        message: 'the connection was closed before the whole request was sent; send it again',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'request_timeout',
        message: 'the request was not received in time; send it again',
      };
    default:
      return {
        status: 400,
        code: 'bad_request',
        message: 'the request is not valid HTTP/1.1; only Twitch EventSub requests belong here',
      };
  }
}

/** Sockets this listener has answered and logged, with the `error` code they got. */
const refused = new WeakMap<Duplex, string>();

/**
 * The code this listener answered (and logged) on `socket`, if it did: a handler whose request was
 * cut short by it (a timeout mid-body) then neither logs nor answers again.
 */
export function refusalOf(socket: Duplex): string | undefined {
  return refused.get(socket);
}

/**
 * The server's `clientError` listener: requests Node refuses before any handler runs (header
 * overflow, unparsable request line, timeouts) get the same short JSON `{error, message}` as every
 * other rejection instead of Node's empty body, are logged once at info, and the connection is closed.
 */
export function createClientErrorHandler(logger: Logger) {
  return function onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    // A client that reset the connection cannot be answered; there is nothing to tell it.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, code, message } = classify(error);
    refused.set(socket, code);
    logger.info({ status, reason: code, parserError: error.code }, `request rejected: ${message}`);
    // Part of an answer may already be on the wire (e.g. a timeout mid-response): then only close.
    const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ error: code, message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
    // end() lets the client read the answer before the connection goes; a client that never
    // closes its side is cut after a short linger.
    const linger = setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
  };
}
