import type { Response } from 'express';
import type { EventLog, SequencedEvent } from '../store/store.js';
import type { LiveSubscriber } from '../stream/stream-hub.js';
import { openEventStream } from '../stream/open-event-stream.js';
import { liveLine } from './event-views.js';

/** Events a client may ask to catch up on when it (re)connects; older ones are paged with /events/recent. */
const MAX_CATCH_UP = 500;

export interface LiveFeedOptions {
  hub: {
    subscribe(subscriber: LiveSubscriber): void;
    unsubscribe(subscriber: LiveSubscriber): void;
  };
  store: Pick<EventLog, 'readEventsAfter'>;
  heartbeatMs: number;
  maxBufferBytes: number;
}

/**
 * The Live page's stream (`GET /api/live?after=<seq>`): Server-Sent Events, one line per stored
 * event (liveLine: gist, users, text; not the payload), `id:` its seq so EventSource resumes with
 * Last-Event-ID. It subscribes to the stream hub first, catches up from the store, then sends
 * what the hub hands out, each seq once and in order. A client that stops reading is cut off
 * once `maxBufferBytes` wait unsent (it reconnects and resumes).
 */
export async function openLiveFeed(res: Response, after: number, options: LiveFeedOptions): Promise<void> {
  let cursor = after;
  let waiting: SequencedEvent[] | undefined = [];
  const send = (event: SequencedEvent) => {
    if (event.seq <= cursor || res.writableEnded) return;
    cursor = event.seq;
    res.write(`id: ${event.seq}\nevent: relay-event\ndata: ${JSON.stringify(liveLine(event))}\n\n`);
    if (res.writableLength > options.maxBufferBytes) res.end();
  };
  const subscriber: LiveSubscriber = {
    deliver: (event) => (waiting ? waiting.push(event) : send(event)),
  };
  openEventStream(res, 'no-store, no-transform');
  res.write('retry: 3000\n: connected\n\n');
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
  heartbeat.unref();
  options.hub.subscribe(subscriber);
  res.once('close', () => {
    clearInterval(heartbeat);
    options.hub.unsubscribe(subscriber);
  });
  try {
    for (const event of await options.store.readEventsAfter(after, MAX_CATCH_UP)) send(event);
  } finally {
    const held = waiting;
    waiting = undefined;
    for (const event of held) send(event);
  }
}
