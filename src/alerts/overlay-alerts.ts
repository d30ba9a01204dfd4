import type { Logger } from '../observability/logger.js';
import type { EventLog, SequencedEvent } from '../store/store.js';
import type { StreamDefinition } from '../stream/stream-config.js';
import type { LiveEvent, LiveSubscriber } from '../stream/stream-hub.js';
import type { AlertSettings } from './alert-config.js';
import { filePosition } from './alert-position.js';
import { AlertQueue } from './alert-queue.js';
import { createAlertPageService, type AlertPageService } from './alert-page-service.js';
import { createAlertSource } from './alert-renderer.js';

/** After a restart, stored events older than this are not shown any more (logged as missed). */
const RESTORE_WINDOW_MS = 30 * 60_000;
const PAGE_SIZE = 200;

/** The relay's alert queues, one per overlay stream, and the page's HTTP side. */
export interface OverlayAlerts {
  /** The queue of a stream, or undefined when it has no alerts. */
  queue(stream: string): AlertQueue | undefined;
  /** The streams that have an alert queue. */
  streams(): string[];
  page: AlertPageService;
  stop(): void;
}

export interface OverlayAlertsOptions {
  settings: AlertSettings;
  streams: readonly StreamDefinition[];
  /** The live streams' reader of new events: every event, in seq order, once it is stored. */
  hub: {
    head: number;
    subscribe(subscriber: LiveSubscriber): void;
    unsubscribe(subscriber: LiveSubscriber): void;
  };
  store: EventLog;
  /** Looks up a stored event by its Twitch message id (replay). */
  findEvent: (eventId: string) => Promise<Pick<SequencedEvent, 'envelope'> | null>;
  dataDir: string;
  logger: Logger;
  now?: () => number;
}

/**
 * One queue per overlay stream (`alerts.streams`, else every stream), fed with what the stream's
 * filter admits. Each queue resumes where the last run left it: the position file in DATA_DIR names
 * the last event dealt with, and the events stored after it (and before this start) are read back
 * from the store, the one on screen with the time it had left. Events older than 30 minutes at that
 * point are not shown (a relay down for a day would otherwise play yesterday's alerts).
 */
export async function startOverlayAlerts(options: OverlayAlertsOptions): Promise<OverlayAlerts> {
  const { settings, logger } = options;
  const now = options.now ?? Date.now;
  const source = createAlertSource(settings);
  const selected = options.streams.filter(
    (stream) => !settings.streams || settings.streams.includes(stream.name),
  );
  const entries = new Map<
    string,
    { queue: AlertQueue; stream: StreamDefinition; position: ReturnType<typeof filePosition> }
  >();
  const head = options.hub.head;

  for (const stream of selected) {
    const position = filePosition(options.dataDir, stream.name, logger);
    const queue = new AlertQueue({
      stream: stream.name,
      source,
      gapMs: settings.gapMs,
      findEvent: options.findEvent,
      position,
      logger,
      now,
    });
    const saved = position.load();
    queue.start(head, saved && saved.after <= head ? saved : undefined);
    entries.set(stream.name, { queue, stream, position });
    if (saved && saved.after < head) await restore(queue, stream, head);
  }

  async function restore(queue: AlertQueue, stream: StreamDefinition, upTo: number): Promise<void> {
    let missed = 0;
    let after = queue.fedUpTo;
    while (after < upTo) {
      const events = await options.store.readEventsAfter(after, PAGE_SIZE);
      if (events.length === 0) break;
      for (const event of events) {
        if (event.seq > upTo) break;
        after = event.seq;
        const age = now() - Date.parse(event.envelope.receivedAt);
        if (!stream.admits(event.envelope)) continue;
        if (age > RESTORE_WINDOW_MS) {
          // Counted, not shown; the queue still moves past it.
          if (source.fromEvent(event)) missed++;
          queue.skipPast(event.seq);
          continue;
        }
        queue.enqueueEvent(event);
      }
      if (events.length < PAGE_SIZE) break;
    }
    queue.skipPast(upTo);
    if (missed > 0)
      logger.warn(
        { stream: stream.name, missed },
        'alerts of events stored over 30 minutes ago were not shown after the restart; `eventsub-relay alerts replay <event id>` shows one',
      );
    logger.info({ stream: stream.name, waiting: queue.snapshot().waiting.length }, 'alert queue resumed');
  }

  const subscriber: LiveSubscriber = {
    deliver(event: LiveEvent) {
      for (const { queue, stream } of entries.values()) {
        if (stream.admits(event.envelope)) queue.enqueueEvent(event);
        else queue.skipPast(event.seq);
      }
    },
  };
  options.hub.subscribe(subscriber);

  const page = createAlertPageService({
    queues: entries,
    look: { ...(settings.stylesheet && { stylesheet: settings.stylesheet }), style: settings.style },
    logger,
  });
  if (entries.size > 0)
    logger.info(
      { streams: [...entries.keys()], media: settings.mediaDir, rules: settings.rules.length },
      'alert box ready: open /overlay/?stream=<name>&token=<token>; image, sound and stylesheet files are served from the media folder',
    );

  return {
    queue: (stream) => entries.get(stream)?.queue,
    streams: () => [...entries.keys()],
    page,
    stop() {
      options.hub.unsubscribe(subscriber);
      page.close();
      for (const { queue, position } of entries.values()) {
        queue.stop();
        position.flush();
      }
    },
  };
}
