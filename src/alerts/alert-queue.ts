import type { Logger } from '../observability/logger.js';
import type { SequencedEvent } from '../store/store.js';
import type { Alert, AlertQueueSnapshot, ShowingAlert } from './alert.js';
import type { AlertPosition, SavedPosition } from './alert-position.js';

/** What turns events (and test requests) into alerts: the `alerts:` rules (alert-renderer.ts). */
export interface AlertSource {
  /** The alert a stored event gives, or null: no rule shows it (a gifted sub of a gift bomb, …). */
  fromEvent(event: Pick<SequencedEvent, 'envelope'>): Alert | null;
  /** A made-up alert of this type from its sample event, `overrides` (user=…, amount=…) applied. */
  test(type: string, overrides: Readonly<Record<string, string>>): Alert;
}

export interface AlertQueueOptions {
  stream: string;
  source: AlertSource;
  /** Pause between two alerts (the card leaves, the next one enters), ms. */
  gapMs: number;
  /** Looks up a stored event by its Twitch message id, for `replay` of one no longer in `recent`. */
  findEvent?: (eventId: string) => Promise<Pick<SequencedEvent, 'envelope'> | null>;
  /** Where the position is kept across restarts (a file in DATA_DIR); none: kept in memory only. */
  position?: AlertPosition;
  logger: Logger;
  /** How many shown alerts `recent` keeps. */
  historySize?: number;
  now?: () => number;
}

/** `replay` of an event id the queue has not seen and the store does not hold. */
export class UnknownAlertEventError extends Error {
  constructor(readonly eventId: string) {
    super(`no stored event with id "${eventId}" (see \`eventsub-relay events list\`)`);
    this.name = 'UnknownAlertEventError';
  }
}

/** `replay` of an event that no rule turns into an alert. */
export class NoAlertForEventError extends Error {
  constructor(
    readonly eventId: string,
    readonly type: string,
  ) {
    super(`event "${eventId}" (${type}) gives no alert: no rule of \`alerts:\` shows it`);
    this.name = 'NoAlertForEventError';
  }
}

/** Two alerts for the same thing (a cheer seen as channel.cheer and channel.bits.use) within this. */
const DEDUPE_WINDOW_MS = 60_000;

/**
 * One overlay stream's alerts: one at a time, in order, each for its duration. The relay owns the
 * position — the alert on screen, when it started, and what waits — so a browser source that
 * reloads is told the current alert with its remaining time and then each next one: nothing shown
 * is repeated, nothing waiting is dropped. Events arrive in seq order (enqueueEvent); the position
 * saved after each change is the seq below which every event was shown or gave no alert, plus the
 * one on screen, so a restarted relay reads the rest back from the store.
 */
export class AlertQueue {
  readonly stream: string;
  private readonly waiting: Alert[] = [];
  private readonly recent: Alert[] = [];
  private current: { alert: Alert; play: number; startedAt: number; timer: NodeJS.Timeout } | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private stopped = false;
  private plays = 0;
  private made = 0;
  /** Highest event seq handed to enqueueEvent (shown, waiting, or giving no alert). */
  private lastSeq = 0;
  private readonly listeners = new Set<(snapshot: AlertQueueSnapshot) => void>();
  private readonly now: () => number;
  private readonly historySize: number;
  /** Recently queued alerts by their dedupe key (Alert.dedupeKey), with when. */
  private readonly seenKeys = new Map<string, number>();

  constructor(private readonly options: AlertQueueOptions) {
    this.stream = options.stream;
    this.now = options.now ?? Date.now;
    this.historySize = options.historySize ?? 50;
  }

  /**
   * Where to start: `lastSeq` is the newest stored event when the queue starts (older events were
   * shown by an earlier run, or happened before alerts were on). `saved` is the position an earlier
   * run kept; the caller then feeds the events after `saved.after` through enqueueEvent, and the one
   * that was on screen resumes with the time it had left.
   */
  private resumeAt: SavedPosition['current'] = null;
  start(lastSeq: number, saved?: SavedPosition): void {
    this.lastSeq = saved ? saved.after : lastSeq;
    this.resumeAt = saved?.current ?? null;
  }

  /** The seq after which events still have to be fed (see start). */
  get fedUpTo(): number {
    return this.lastSeq;
  }

  /** A stored event, in seq order: queued if a rule makes an alert of it. */
  enqueueEvent(event: SequencedEvent): Alert | null {
    if (event.seq <= this.lastSeq || this.stopped) return null;
    this.lastSeq = event.seq;
    let alert: Alert | null;
    try {
      alert = this.options.source.fromEvent(event);
    } catch (error) {
      this.options.logger.warn(
        { err: error, stream: this.stream, seq: event.seq, type: event.envelope.type },
        'could not make an alert of this event; it is not shown',
      );
      alert = null;
    }
    if (alert) alert = { ...alert, seq: event.seq };
    if (alert && this.isDuplicate(alert)) alert = null;
    if (!alert) {
      this.changed(false);
      return null;
    }
    const resume = this.resumeAt;
    if (resume && resume.seq === event.seq) {
      this.resumeAt = null;
      const left = alert.durationMs - (this.now() - resume.startedAt);
      if (!this.current && left > 0) {
        this.show(alert, resume.startedAt);
        return alert;
      }
      if (left <= 0) {
        this.remember(alert);
        this.changed(true);
        return null;
      }
    }
    this.add(alert, 'back');
    return alert;
  }

  /** An event this queue does not show (another stream's filter, too old): the position moves past it. */
  skipPast(seq: number): void {
    if (seq <= this.lastSeq || this.stopped) return;
    this.lastSeq = seq;
    this.changed(false);
  }

  /** Queues an alert made elsewhere (a test, a replay): at the back, or next after the current one. */
  enqueue(alert: Alert, where: 'back' | 'next' = 'back'): void {
    if (this.stopped) return;
    this.add(alert, where);
  }

  /** Ends the alert on screen now (the next one follows); between alerts, drops the next one. */
  skip(): Alert | null {
    if (this.current) {
      const { alert } = this.current;
      this.finish();
      return alert;
    }
    const next = this.waiting.shift();
    if (!next) return null;
    this.remember(next);
    this.changed(true);
    return next;
  }

  /** No new alert starts until resume(); the one on screen finishes its time. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.changed(true);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.advance()) this.changed(true);
  }

  /**
   * Shows an event's alert again, next after the one on screen: from the alerts this queue made, or
   * else read from the store and rendered under the current rules.
   */
  async replay(eventId: string): Promise<Alert> {
    const known = [this.current?.alert, ...this.waiting, ...this.recent].find((a) => a?.eventId === eventId);
    let base = known;
    if (!base) {
      const stored = await this.options.findEvent?.(eventId);
      if (!stored) throw new UnknownAlertEventError(eventId);
      base = this.options.source.fromEvent(stored) ?? undefined;
      if (!base) throw new NoAlertForEventError(eventId, stored.envelope.type);
    }
    const copy: Alert = { ...base, id: `replay-${++this.made}-${eventId}`, origin: 'replay' };
    delete copy.seq;
    this.enqueue(copy, 'next');
    return copy;
  }

  /** A test alert of `type` (its sample event, with `overrides`), queued at the back. */
  test(type: string, overrides: Readonly<Record<string, string>> = {}): Alert {
    const alert: Alert = {
      ...this.options.source.test(type, overrides),
      id: `test-${++this.made}-${this.now().toString(36)}`,
      origin: 'test',
    };
    this.enqueue(alert);
    return alert;
  }

  snapshot(): AlertQueueSnapshot {
    return {
      stream: this.stream,
      paused: this.paused,
      current: this.showing(),
      waiting: [...this.waiting],
      recent: [...this.recent],
    };
  }

  /** Called with a fresh snapshot after every change; returns the unsubscribe. */
  onChange(listener: (snapshot: AlertQueueSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.current?.timer);
    clearTimeout(this.gapTimer);
    this.listeners.clear();
  }

  private showing(): ShowingAlert | null {
    if (!this.current) return null;
    const { alert, play, startedAt } = this.current;
    const elapsedMs = Math.max(0, this.now() - startedAt);
    return { alert, play, startedAt, elapsedMs, remainingMs: Math.max(0, alert.durationMs - elapsedMs) };
  }

  private add(alert: Alert, where: 'back' | 'next'): void {
    if (where === 'next') this.waiting.unshift(alert);
    else this.waiting.push(alert);
    if (!this.advance()) this.changed(true);
  }

  /** Starts the next alert when nothing is on screen, no gap runs and the queue is not paused. */
  private advance(): boolean {
    if (this.current || this.gapTimer || this.paused || this.stopped) return false;
    const next = this.waiting.shift();
    if (!next) return false;
    this.show(next, this.now());
    return true;
  }

  private show(alert: Alert, startedAt: number): void {
    const left = Math.max(0, alert.durationMs - (this.now() - startedAt));
    const timer = setTimeout(() => this.finish(), left);
    timer.unref();
    this.current = { alert, play: ++this.plays, startedAt, timer };
    this.changed(true);
  }

  private finish(): void {
    if (!this.current) return;
    clearTimeout(this.current.timer);
    this.remember(this.current.alert);
    this.current = undefined;
    if (this.waiting.length > 0 && this.options.gapMs > 0 && !this.paused) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        if (!this.advance()) this.changed(true);
      }, this.options.gapMs);
      this.gapTimer.unref();
      this.changed(true);
      return;
    }
    if (!this.advance()) this.changed(true);
  }

  private remember(alert: Alert): void {
    this.recent.unshift(alert);
    if (this.recent.length > this.historySize) this.recent.length = this.historySize;
  }

  /** The same cheer seen twice (channel.cheer and channel.bits.use): the second is dropped. */
  private isDuplicate(alert: Alert): boolean {
    const key = alert.dedupeKey;
    if (!key) return false;
    const now = this.now();
    for (const [seen, at] of this.seenKeys) if (now - at > DEDUPE_WINDOW_MS) this.seenKeys.delete(seen);
    if (this.seenKeys.has(key)) return true;
    this.seenKeys.set(key, now);
    return false;
  }

  /**
   * Saves the position (the store batches the writes), then, when what a page shows may have
   * changed, tells the listeners; an event that gives no alert only moves the position.
   */
  private changed(notify: boolean): void {
    this.options.position?.save(this.position());
    if (!notify || this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.options.logger.warn({ err: error, stream: this.stream }, 'alert queue listener failed');
      }
    }
  }

  /** Every event up to `after` was shown or gave no alert; `current` is the event alert on screen. */
  private position(): SavedPosition {
    const pending = [this.current?.alert, ...this.waiting].flatMap((alert) =>
      alert?.seq !== undefined && alert.origin === 'event' ? [alert.seq] : [],
    );
    const after = pending.length > 0 ? Math.min(...pending) - 1 : this.lastSeq;
    const current =
      this.current?.alert.seq !== undefined && this.current.alert.origin === 'event'
        ? { seq: this.current.alert.seq, startedAt: this.current.startedAt }
        : null;
    return { after, current };
  }
}
