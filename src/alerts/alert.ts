/**
 * One alert as the overlay page shows it: every text already rendered on the relay (the page only
 * sets `textContent`), media as URLs the relay serves, the look as CSS custom properties.
 */
export interface Alert {
  /** Unique per alert: the Twitch message id of its event, or `test-…` / `replay-…` for made ones. */
  id: string;
  /** The Twitch message id of the event it announces; absent for a test alert. */
  eventId?: string;
  /** The store's seq of that event (what the queue's position is kept by); absent for made ones. */
  seq?: number;
  /** The EventSub type, e.g. `channel.cheer`. */
  type: string;
  /** A short word for the page's CSS class `alert-<kind>`: follow, sub, resub, gift, cheer, raid, … */
  kind: string;
  title: string;
  message: string;
  /** URL path of the image or animation (under /overlay/media/), or absent. */
  image?: string;
  /** URL path of the sound, or absent. */
  sound?: string;
  /** 0..1 */
  volume: number;
  durationMs: number;
  /** CSS custom properties (`--alert-background` → value) set on the card. */
  style: Readonly<Record<string, string>>;
  /** A test alert (`alerts test`), or a replay (`alerts replay`). */
  origin: 'event' | 'test' | 'replay';
  /**
   * Alerts with the same key within a minute are one thing seen twice (a cheer arrives as
   * channel.cheer and as channel.bits.use): the queue keeps the first.
   */
  dedupeKey?: string;
  /** The fields the templates were filled from (user, amount, …), for widgets and the API. */
  fields: Readonly<Record<string, string>>;
}

/** The alert on screen now, with the clock the page needs to show the rest of it after a reload. */
export interface ShowingAlert {
  alert: Alert;
  /** Unique per showing: the page restarts its card (and sound) when this changes. */
  play: number;
  startedAt: number;
  /** Milliseconds since it started, and left of its duration, when the snapshot was taken. */
  elapsedMs: number;
  remainingMs: number;
}

/** The state of one stream's queue, as the API, the page and the CLI read it. */
export interface AlertQueueSnapshot {
  stream: string;
  paused: boolean;
  /** The alert on screen, or null between alerts and when nothing is queued. */
  current: ShowingAlert | null;
  /** Waiting, in the order they will show. */
  waiting: Alert[];
  /** Shown (or skipped) ones, newest first; what `replay` finds a recent alert in. */
  recent: Alert[];
}
