import type { StreamSettings } from '../config/relay-config.js';
import type { Logger } from '../observability/logger.js';
import type { EventLog } from '../store/store.js';
import type { StreamDefinition } from './stream-config.js';
import { StreamHub, type LiveSubscriber } from './stream-hub.js';
import { createStreamService, type StreamService } from './stream-service.js';
import { sessionKeepers } from './session-keeper.js';

/** Reconnect delay suggested to EventSource clients. */
const STREAM_RETRY_MS = 3000;
/** A shared store: how long a missing seq (insert not yet committed) may hold back the ones after it. */
const SHARED_STORE_GAP_WAIT_MS = 2000;

/** The live streams of a relay: the HTTP side, and the hub to wake when this process stores an event. */
export interface LiveStreams {
  service: StreamService;
  /** Call after each event this process stored. */
  wake(): void;
  /**
   * The hub's reader, for parts that follow every new event in seq order (the alert queues):
   * `head` is the last seq handed out, a subscriber gets every later one.
   */
  hub: {
    readonly head: number;
    subscribe(subscriber: LiveSubscriber): void;
    unsubscribe(subscriber: LiveSubscriber): void;
  };
  stop(): void;
}

/**
 * Serves the config file's `streams:` (validated, with their tokens: see withStreamTokens). A store
 * several replicas share (`sharedByReplicas`: PostgreSQL) is polled every STREAM_POLL_MS for what
 * the others stored; any other is served by one process, whose own intake wakes the hub.
 */
export async function startLiveStreams(
  {
    settings,
    streams,
    dataDir,
  }: {
    settings: StreamSettings;
    streams: readonly StreamDefinition[];
    /** Where each stream's session (widget counters, recent events, goals) is kept across restarts. */
    dataDir?: string;
  },
  store: EventLog,
  logger: Logger,
): Promise<LiveStreams> {
  for (const stream of streams) {
    if (stream.tokenFile?.generated)
      logger.info(
        { stream: stream.name, tokenFile: stream.tokenFile.path },
        'generated a token for this stream; read it from the file (mode 0600) to connect',
      );
  }
  const shared = store.sharedByReplicas;
  const hub = new StreamHub({
    store,
    logger,
    pollMs: shared && streams.length > 0 ? settings.pollMs : 0,
    gapWaitMs: shared ? SHARED_STORE_GAP_WAIT_MS : 0,
  });
  await hub.start();
  // Subscribed before any client can connect: a client that sees an event finds it counted.
  const sessions = sessionKeepers(streams, dataDir, logger, hub.head);
  for (const keeper of sessions.values()) await keeper.catchUp(store, hub);
  const service = createStreamService({
    streams,
    hub,
    store,
    logger,
    sessions,
    maxBufferBytes: settings.maxBufferBytes,
    heartbeatMs: settings.heartbeatMs,
    retryMs: STREAM_RETRY_MS,
  });
  return {
    service,
    hub,
    wake: () => {
      if (streams.length > 0) hub.wake();
    },
    stop() {
      service.close();
      hub.close();
      for (const keeper of sessions.values()) keeper.flush();
    },
  };
}
