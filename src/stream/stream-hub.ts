import type { Logger } from '../observability/logger.js';
import type { EventLog, SequencedEvent } from '../store/store.js';
import { sseFrame } from './sse-frame.js';

/** A stored event as every live client receives it: formatted once, whoever listens. */
export interface LiveEvent extends SequencedEvent {
  frame: string;
}

/** A connected client that has caught up and now takes live events. */
export interface LiveSubscriber {
  deliver(event: LiveEvent): void;
}

export interface StreamHubOptions {
  store: EventLog;
  logger: Logger;
  /**
   * Poll the store this often (ms) for events other replicas stored; 0 = only when woken (a store
   * one process serves, SQLite, where every event passes through this process's intake).
   */
  pollMs: number;
  /**
   * How long a missing seq may hold back later ones. On PostgreSQL seqs are handed out before
   * commit, so seq 6 may be visible before seq 5 commits: the hub waits for 5 this long, then moves
   * on (a seq consumed by a duplicate or a failed insert never appears). 0 = never wait (SQLite
   * numbers and commits in one order).
   */
  gapWaitMs: number;
  /** Events read per store query. */
  pageSize?: number;
}

/**
 * The one reader of new events for every live client of this process. It keeps `head`, the highest
 * seq handed to subscribers: every stored event up to it was sent, in seq order, to each subscriber
 * then connected. Woken by the intake (an event this process stored) or by its poll timer, it reads
 * the store after `head` by primary key and fans out each event once.
 */
export class StreamHub {
  /** Highest seq delivered to live subscribers; every stored seq up to it is committed. */
  head = 0;
  private readonly subscribers = new Set<LiveSubscriber>();
  private readonly pageSize: number;
  private pumping = false;
  private again = false;
  private closed = false;
  private gap: { after: number; since: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;

  constructor(private readonly options: StreamHubOptions) {
    this.pageSize = options.pageSize ?? 500;
  }

  /** Starts at the newest stored event (older ones are read by each client that asks for them). */
  async start(): Promise<void> {
    this.head = await this.options.store.latestSeq();
    if (this.options.pollMs > 0) {
      this.poller = setInterval(() => this.wake(), this.options.pollMs);
      this.poller.unref();
    }
  }

  subscribe(subscriber: LiveSubscriber): void {
    this.subscribers.add(subscriber);
  }

  unsubscribe(subscriber: LiveSubscriber): void {
    this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * A hub nobody listened to was not woken (no streams configured): its head is behind. The first
   * subscriber moves it to the newest seq first, so the hub does not read the whole gap back.
   */
  skipTo(seq: number): void {
    if (this.subscribers.size === 0 && !this.pumping && seq > this.head) this.head = seq;
  }

  /** Something was stored: read what is new (coalesced; one read runs at a time). */
  wake(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poller);
    clearTimeout(this.timer);
    this.subscribers.clear();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        const events = await this.options.store.readEventsAfter(this.head, this.pageSize);
        if (this.closed) return;
        const ready = this.contiguous(events);
        for (const event of ready) {
          this.head = event.seq;
          const live: LiveEvent = { ...event, frame: sseFrame(event) };
          for (const subscriber of this.subscribers) subscriber.deliver(live);
        }
        if (ready.length === this.pageSize) this.again = true;
      } while (this.again && !this.closed);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'live stream could not read new events; retrying in 1 s');
      this.retryIn(1000);
    } finally {
      this.pumping = false;
    }
  }

  /** The events that can go out now: up to the first seq still missing, unless it waited long enough. */
  private contiguous(events: readonly SequencedEvent[]): SequencedEvent[] {
    let expected = this.head + 1;
    for (let index = 0; index < events.length; index++) {
      const seq = events[index]!.seq;
      if (seq !== expected && this.options.gapWaitMs > 0) {
        const after = expected - 1;
        const now = Date.now();
        if (this.gap?.after !== after) this.gap = { after, since: now };
        const waited = now - this.gap.since;
        if (waited < this.options.gapWaitMs) {
          this.retryIn(Math.min(50, this.options.gapWaitMs - waited));
          return events.slice(0, index);
        }
        this.options.logger.debug({ after, next: seq }, 'live stream skips seqs never committed');
      }
      expected = seq + 1;
    }
    this.gap = undefined;
    return [...events];
  }

  private retryIn(ms: number): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, ms);
    this.timer.unref();
  }
}
