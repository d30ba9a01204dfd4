import { request, type IncomingMessage, type ClientRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

/** One Server-Sent Event as a client parses it. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: IncomingMessage['headers'];
  /** The body so far (for error answers: the JSON). */
  text: () => string;
  events: SseEvent[];
  comments: string[];
  retry?: number;
  ended: Promise<void>;
  close: () => void;
  response: IncomingMessage;
  request: ClientRequest;
}

/**
 * Opens `url` with GET and parses the text/event-stream as EventSource would (id/event/data/retry
 * fields, comments, `data` lines joined with \n). Resolves once the status line arrived.
 */
export function openSse(
  url: string,
  headers: Record<string, string> = {},
  tls: Pick<RequestOptions, 'ca' | 'servername' | 'host'> = {},
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    const req = send(url, { ...tls, headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      let body = '';
      let pending = '';
      const connection: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => body,
        events: [],
        comments: [],
        ended: new Promise((done) => {
          res.on('end', done);
          res.on('close', done);
          res.on('error', () => done());
        }),
        close: () => req.destroy(),
        response: res,
        request: req,
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const event: SseEvent = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) connection.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
            else if (line.startsWith('retry: ')) connection.retry = Number(line.slice(7));
          }
          if (data.length > 0) connection.events.push({ ...event, data: data.join('\n') });
        }
      });
      resolve(connection);
    });
    req.on('error', reject);
    req.end();
  });
}
