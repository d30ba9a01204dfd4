/** One minute of the relay's life, as the dashboard's Health charts draw it. */
export interface MinuteFigures {
  /** The minute's start, ISO 8601. */
  minute: string;
  /** Events stored (new message ids) in this minute. */
  events: number;
  /** Time from handing an event to the store until it was durable (the 204 waits as long), in ms. */
  ackMsAverage: number | null;
  ackMsMax: number | null;
  /** Pending deliveries over every sink, as last sampled in this minute; null when not sampled. */
  backlog: number | null;
}

interface Slot {
  start: number;
  events: number;
  ackTotal: number;
  ackCount: number;
  ackMax: number;
  backlog: number | null;
}

const MINUTE_MS = 60_000;

/**
 * Per-minute figures of the last `minutes` minutes, in memory: a fixed ring of slots, each reset
 * when a new minute lands on it. Recording is O(1) and nothing grows, whatever the event rate.
 */
export class MinuteRing {
  private readonly slots: Slot[];

  constructor(
    private readonly minutes = 60,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = Array.from({ length: minutes }, () => emptySlot(-1));
  }

  private slot(time = this.now()): Slot {
    const start = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    const index = Math.floor(start / MINUTE_MS) % this.minutes;
    const slot = this.slots[index]!;
    if (slot.start !== start) Object.assign(slot, emptySlot(start));
    return slot;
  }

  /** One event stored (`stored`) or acknowledged as a duplicate, `ackMs` after it reached the store. */
  recordAck(ackMs: number, stored: boolean): void {
    const slot = this.slot();
    if (stored) slot.events += 1;
    slot.ackTotal += ackMs;
    slot.ackCount += 1;
    slot.ackMax = Math.max(slot.ackMax, ackMs);
  }

  recordBacklog(pending: number): void {
    this.slot().backlog = pending;
  }

  /** The last `minutes` minutes, oldest first, the current one last; quiet minutes as zeros. */
  figures(): MinuteFigures[] {
    const current = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    const figures: MinuteFigures[] = [];
    for (let i = this.minutes - 1; i >= 0; i--) {
      const start = current - i * MINUTE_MS;
      const slot = this.slots[Math.floor(start / MINUTE_MS) % this.minutes]!;
      const live = slot.start === start;
      figures.push({
        minute: new Date(start).toISOString(),
        events: live ? slot.events : 0,
        ackMsAverage: live && slot.ackCount > 0 ? round(slot.ackTotal / slot.ackCount) : null,
        ackMsMax: live && slot.ackCount > 0 ? round(slot.ackMax) : null,
        backlog: live ? slot.backlog : null,
      });
    }
    return figures;
  }
}

function emptySlot(start: number): Slot {
  return { start, events: 0, ackTotal: 0, ackCount: 0, ackMax: 0, backlog: null };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
