import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { StreamDefinition } from '../stream/stream-config.js';
import { setCorsHeaders } from '../stream/stream-request.js';
import { presentedToken, tokenMatches } from '../stream/token-check.js';
import type { AlertQueue } from './alert-queue.js';
import { pageState, samePageState, type PageState } from './page-state.js';
import { sendJson } from '../stream/send-json.js';
import { openEventStream } from '../stream/open-event-stream.js';

/** `/overlay/<stream>/alerts`: the alert box page's connection (Server-Sent Events). */
export const ALERTS_PATH = /^\/overlay\/([^/]+)\/alerts$/;

const HEARTBEAT_MS = 15_000;
const RETRY_MS = 2000;

/** The look every card of a stream shares: the user stylesheet and CSS custom properties. */
export interface PageLook {
  stylesheet?: string;
  style: Readonly<Record<string, string>>;
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export interface AlertPageService {
  /** Handles the request when its path is an alert stream's; false leaves it to other routes. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  clientCount(stream: string): number;
  close(): void;
}

/**
 * The page's side of the queue. It proves it holds the stream's token (as /stream/<name> does:
 * `?token=` or a Bearer header, constant-time, never logged), then gets `look` once and `queue`
 * on connect and after every change that shows: the alert on screen with the time it has left, or
 * none. The page only renders what it is told, so a reload shows the same alert, never a new copy.
 */
export function createAlertPageService(options: {
  queues: ReadonlyMap<string, { queue: AlertQueue; stream: StreamDefinition }>;
  look: PageLook;
  logger: Logger;
}): AlertPageService {
  const clients = new Map<string, Set<ServerResponse>>();
  let closed = false;

  function handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const match = ALERTS_PATH.exec(url.pathname);
    if (!match) return false;
    let name: string;
    try {
      name = decodeURIComponent(match[1]!);
    } catch {
      return false;
    }
    const entry = options.queues.get(name);
    if (!entry) return false;
    const { queue, stream } = entry;
    setCorsHeaders(req, res, stream);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return true;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, 'method_not_allowed', 'the alert stream is read with GET', {
        Allow: 'GET, OPTIONS',
      });
      return true;
    }
    if (!tokenMatches(presentedToken(req.headers.authorization, url.searchParams), stream.token)) {
      sendJson(
        res,
        401,
        'unauthorized',
        `missing or wrong token for stream "${stream.name}": open the overlay with ?token=<token> (the stream-token-${stream.name} file in DATA_DIR, or streams: in eventsub-relay.yml)`,
        { 'WWW-Authenticate': 'Bearer realm="stream"' },
      );
      return true;
    }
    const open = clients.get(name) ?? new Set<ServerResponse>();
    if (open.size >= stream.maxClients) {
      sendJson(
        res,
        429,
        'too_many_clients',
        `the alert box of stream "${name}" already has ${open.size} pages open (maxClients ${stream.maxClients}); close one or raise maxClients`,
        { 'Retry-After': '10' },
      );
      return true;
    }
    if (closed) {
      sendJson(res, 503, 'shutting_down', 'the relay is stopping; the page reconnects by itself', {
        'Retry-After': '3',
      });
      return true;
    }
    clients.set(name, open);
    open.add(res);
    openEventStream(res);
    let last: PageState | undefined;
    const send = () => {
      const state = pageState(queue.snapshot());
      if (samePageState(last, state)) return;
      last = state;
      res.write(frame('queue', state));
    };
    res.write(`retry: ${RETRY_MS}\n`);
    res.write(frame('look', options.look));
    send();
    const unsubscribe = queue.onChange(send);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    });
    options.logger.info({ stream: name }, 'alert box page connected');
    return true;
  }

  return {
    handle,
    clientCount: (stream) => clients.get(stream)?.size ?? 0,
    close() {
      closed = true;
      for (const open of clients.values()) for (const res of open) res.end();
    },
  };
}
