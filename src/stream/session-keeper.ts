import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import type { EventLog } from '../store/store.js';
import { broadcasterOf, compileFilter } from '../twitch/event-filter.js';
import type { Envelope } from '../twitch/envelope.js';
import type { StreamDefinition } from './stream-config.js';
import type { LiveEvent, LiveSubscriber, StreamHub } from './stream-hub.js';
import { SessionState, type SessionSnapshot } from './session-state.js';

/** How long after a change the session is written to DATA_DIR (changes in between are coalesced). */
const SAVE_DELAY_MS = 1000;

/** The file that keeps a stream's session across restarts of the relay. */
export const sessionFileName = (stream: string): string => `stream-session-${stream}.json`;

/**
 * Keeps the session (counters, recent events, goals) of one stream: fed by the hub like a client,
 * subscribed before any client so a client that sees an event and asks for the session finds it
 * counted; saved to DATA_DIR (0600) a second after a change and at stop, and read back at start,
 * then brought up to date from the store (events stored while the relay was down count too).
 */
export class SessionKeeper implements LiveSubscriber {
  private readonly state: SessionState;
  private readonly admitsBroadcaster: (envelope: Envelope) => boolean;
  private timer: NodeJS.Timeout | undefined;
  private readonly head: number;

  constructor(
    private readonly stream: StreamDefinition,
    private readonly file: string | undefined,
    private readonly logger: Logger,
    head: number,
  ) {
    // Cheers also arrive as channel.bits.use: counted once, from bits.use, when the stream has both.
    const bitsUse = { messageType: 'notification', type: 'channel.bits.use' } as Envelope;
    const admitsBitsUse = compileFilter({ ...stream.filter, broadcasters: undefined })(bitsUse);
    this.state = new SessionState(stream.name, !admitsBitsUse, head);
    this.head = head;
    const broadcasters = stream.filter.broadcasters && new Set(stream.filter.broadcasters);
    this.admitsBroadcaster = (envelope) => !broadcasters || broadcasters.has(broadcasterOf(envelope) ?? '');
    this.load();
  }

  snapshot(): SessionSnapshot {
    return this.state.snapshot();
  }

  deliver(event: LiveEvent): void {
    const { envelope } = event;
    if (this.state.apply(event.seq, envelope, this.stream.admits(envelope), this.admitsBroadcaster(envelope)))
      this.scheduleSave();
  }

  /** Applies what was stored after the saved session, up to the hub's head, then takes live events. */
  async catchUp(store: EventLog, hub: StreamHub, pageSize = 500): Promise<void> {
    while (this.state.cursor < hub.head) {
      const events = await store.readEventsAfter(this.state.cursor, pageSize);
      if (events.length === 0) break;
      for (const event of events) if (event.seq <= hub.head) this.deliver({ ...event, frame: '' });
      if (events.length < pageSize) break;
    }
    hub.subscribe(this);
  }

  /** Writes the session now (at stop). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }

  private scheduleSave(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  private load(): void {
    if (!this.file || !existsSync(this.file)) return;
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<SessionSnapshot>;
      // Saved past the newest stored event: it was kept for another store; start afresh.
      if (typeof saved.asOf === 'number' && saved.asOf > this.head) return;
      this.state.restore(saved);
    } catch (error) {
      this.logger.warn(
        { err: error, stream: this.stream.name, file: this.file },
        'could not read the saved session of this stream; its counters start again at 0',
      );
    }
  }

  private save(): void {
    if (!this.file) return;
    try {
      const temporary = `${this.file}.tmp`;
      writeFileSync(temporary, JSON.stringify(this.state.snapshot()), { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch (error) {
      this.logger.warn({ err: error, stream: this.stream.name }, 'could not save the session of this stream');
    }
  }
}

/** The keeper of each stream, its session file in `dataDir` (none without one: kept in memory only). */
export function sessionKeepers(
  streams: readonly StreamDefinition[],
  dataDir: string | undefined,
  logger: Logger,
  head: number,
): Map<string, SessionKeeper> {
  return new Map(
    streams.map((stream) => [
      stream.name,
      new SessionKeeper(stream, dataDir && join(dataDir, sessionFileName(stream.name)), logger, head),
    ]),
  );
}
