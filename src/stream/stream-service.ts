import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { EventLog } from '../store/store.js';
import { SseClient } from './sse-client.js';
import { sseFrame } from './sse-frame.js';
import type { StreamDefinition } from './stream-config.js';
import type { StreamHub } from './stream-hub.js';
import { BadStreamStartError, setCorsHeaders, streamStart } from './stream-request.js';
import { presentedToken, tokenMatches } from './token-check.js';
import type { SessionKeeper } from './session-keeper.js';
import { sendJson } from './send-json.js';

/** The path prefix of every stream: `GET /stream/<name>`. */
export const STREAM_PATH = '/stream';

export interface StreamServiceOptions {
  streams: readonly StreamDefinition[];
  hub: StreamHub;
  store: EventLog;
  logger: Logger;
  /** Each stream's session (widget state), served at /stream/<name>/session. */
  sessions?: ReadonlyMap<string, SessionKeeper>;
  maxBufferBytes: number;
  heartbeatMs: number;
  retryMs: number;
  /** Stored events read per query while a client catches up. */
  pageSize?: number;
}

/** The path after a stream's name that serves its session (counters, recent events, goals) as JSON. */
const SESSION_SUFFIX = '/session';

/**
 * The `<name>` of `/stream/<name>` (or `/stream/<name>/session`, `session` set); a malformed
 * %-escape names no stream (a 404, not a 500).
 */
function streamPath(pathname: string): { name: string; session: boolean } {
  let rest = pathname.slice(STREAM_PATH.length + 1);
  const session = rest.endsWith(SESSION_SUFFIX);
  if (session) rest = rest.slice(0, -SESSION_SUFFIX.length);
  try {
    return { name: decodeURIComponent(rest), session };
  } catch {
    return { name: '', session };
  }
}

/** The live streams of one relay process: the HTTP handler for /stream/*, and shutdown. */
export interface StreamService {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void;
  /** Open connections per stream name. */
  clientCount(stream: string): number;
  /** Ends every stream cleanly (each client reconnects, elsewhere or after the restart). */
  close(): void;
}

/**
 * `GET /stream/<name>`: Server-Sent Events for one configured stream. The client proves it holds the
 * stream's token (Bearer header or `?token=`), compared in constant time and never logged; without
 * it the answer is a 401 and not one event. A client resuming from a seq first gets every stored
 * event after it that the filter admits, then live ones: no gap, no duplicate.
 */
export function createStreamService(options: StreamServiceOptions): StreamService {
  const byName = new Map(options.streams.map((stream) => [stream.name, stream]));
  const clients = new Map<string, Set<SseClient>>();
  const pageSize = options.pageSize ?? 200;
  let closed = false;

  const knownStreams = () =>
    options.streams.length
      ? `the configured streams are /stream/${options.streams.map((s) => s.name).join(', /stream/')}`
      : 'no streams are configured: add a `streams:` entry to eventsub-relay.yml';

  function handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const { name, session } = streamPath(url.pathname);
    const stream = byName.get(name);
    setCorsHeaders(req, res, stream);
    if (req.method === 'OPTIONS') {
      // A CORS preflight for a stream that exists; an unknown one gets the same JSON 404 as a GET.
      if (stream) res.writeHead(204).end();
      else sendJson(res, 404, 'unknown_stream', `no stream named "${name.slice(0, 64)}"; ${knownStreams()}`);
      return;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, 'method_not_allowed', 'streams are read with GET', { Allow: 'GET, OPTIONS' });
      return;
    }
    if (!stream) {
      sendJson(res, 404, 'unknown_stream', `no stream named "${name.slice(0, 64)}"; ${knownStreams()}`);
      return;
    }
    if (!tokenMatches(presentedToken(req.headers.authorization, url.searchParams), stream.token)) {
      sendJson(
        res,
        401,
        'unauthorized',
        `missing or wrong token for stream "${stream.name}": send Authorization: Bearer <token> or ?token=<token> (see streams: in eventsub-relay.yml, or the stream-token-${stream.name} file in DATA_DIR)`,
        { 'WWW-Authenticate': 'Bearer realm="stream"' },
      );
      return;
    }
    if (session) {
      sendSession(res, stream.name);
      return;
    }
    const open = clients.get(stream.name) ?? new Set<SseClient>();
    if (open.size >= stream.maxClients) {
      sendJson(
        res,
        429,
        'too_many_clients',
        `stream "${stream.name}" already has ${open.size} connections (maxClients ${stream.maxClients}); close one or raise maxClients`,
        { 'Retry-After': '10' },
      );
      return;
    }
    let start;
    try {
      start = streamStart(req, url.searchParams);
    } catch (error) {
      if (!(error instanceof BadStreamStartError)) throw error;
      sendJson(res, 400, 'bad_last_event_id', error.message);
      return;
    }
    if (closed) {
      sendJson(res, 503, 'shutting_down', 'the relay is stopping; reconnect in a few seconds', {
        'Retry-After': '3',
      });
      return;
    }
    clients.set(stream.name, open);
    const client = new SseClient(res, {
      stream,
      cursor: start === 'now' ? options.hub.head : start.after,
      logger: options.logger,
      maxBufferBytes: options.maxBufferBytes,
      heartbeatMs: options.heartbeatMs,
      retryMs: options.retryMs,
      onClose: () => {
        open.delete(client);
        options.hub.unsubscribe(client);
      },
    });
    open.add(client);
    options.logger.info({ stream: stream.name, after: client.cursor }, 'stream client connected');
    catchUp(client).catch((error) => {
      options.logger.error({ err: error, stream: stream.name }, 'stream client could not read stored events');
      client.end();
    });
  }

  /** `GET /stream/<name>/session`: what the widget pages show, as the relay keeps it. */
  function sendSession(res: ServerResponse, name: string): void {
    const keeper = options.sessions?.get(name);
    if (!keeper) {
      sendJson(res, 404, 'no_session', `stream "${name}" keeps no session in this relay`);
      return;
    }
    const body = JSON.stringify(keeper.snapshot());
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }

  /**
   * Sends stored events after the client's cursor up to the hub's head, then subscribes it in the
   * same turn of the event loop as the last check: from there the hub hands it every later event.
   */
  async function catchUp(client: SseClient): Promise<void> {
    while (!client.closed && client.cursor < options.hub.head) {
      const upTo = options.hub.head;
      const events = await options.store.readEventsAfter(client.cursor, pageSize);
      for (const event of events) {
        if (event.seq > upTo || client.closed) break;
        await client.sendStored({ ...event, frame: sseFrame(event) });
      }
      // Every event up to `upTo` was committed before the read: fewer than a page means none is left.
      if (events.length < pageSize || (events.at(-1)?.seq ?? 0) >= upTo)
        client.cursor = Math.max(client.cursor, upTo);
    }
    if (!client.closed) options.hub.subscribe(client);
  }

  return {
    handle,
    clientCount: (stream) => clients.get(stream)?.size ?? 0,
    close() {
      closed = true;
      for (const open of clients.values()) for (const client of open) client.end();
    },
  };
}
