import type { Envelope } from '../twitch/envelope.js';

/**
 * What the widget pages of one stream show, kept by the relay so a reloaded browser source shows it
 * again: counters since the last `stream.online`, the latest events of each type, and the goals
 * from `channel.goal.*`.
 */
export interface SessionSnapshot {
  stream: string;
  /** The last seq applied: every stored event up to it is counted. */
  asOf: number;
  /** When the session began (the `stream.online` event's started_at), null before the first one. */
  startedAt: string | null;
  counters: SessionCounters;
  /** The latest events of the types recent-events widgets show, oldest first. */
  recent: RecentEvent[];
  /** Goals by last update, oldest first; an ended one stays with `ended: true`. */
  goals: GoalState[];
}

export interface SessionCounters {
  follows: number;
  /** New subscriptions, resubscriptions and gifted subs (a gift of 20 counts 20). */
  subs: number;
  bits: number;
}

export interface RecentEvent {
  seq: number;
  type: string;
  receivedAt: string;
  event: Record<string, unknown>;
}

export interface GoalState {
  id: string;
  /** Twitch's goal type: follow, subscription, subscription_count, new_subscription, … */
  goalType: string;
  description: string;
  currentAmount: number;
  targetAmount: number;
  ended: boolean;
  achieved: boolean;
}

/** The types recent-events widgets list (the alert-worthy ones). */
export const RECENT_TYPES: readonly string[] = [
  'channel.follow',
  'channel.subscribe',
  'channel.subscription.message',
  'channel.subscription.gift',
  'channel.cheer',
  'channel.bits.use',
  'channel.raid',
  'channel.channel_points_custom_reward_redemption.add',
  'channel.hype_train.begin',
  'channel.hype_train.end',
  'channel.charity_campaign.donate',
];

/** Events kept per type for recent-events widgets. */
export const RECENT_PER_TYPE = 25;
/** Goals kept (Twitch allows a few at once; older ended ones fall off). */
const MAX_GOALS = 10;

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * The session of one stream. `countsCheers` is false when the stream also admits
 * `channel.bits.use`: Twitch sends a cheer as both, and the bits would count twice.
 */
export class SessionState {
  private asOf: number;
  private startedAt: string | null = null;
  private counters: SessionCounters = { follows: 0, subs: 0, bits: 0 };
  private readonly recent = new Map<string, RecentEvent[]>();
  private readonly goals = new Map<string, GoalState>();

  constructor(
    private readonly stream: string,
    private readonly countsCheers: boolean,
    asOf: number,
  ) {
    this.asOf = asOf;
  }

  get cursor(): number {
    return this.asOf;
  }

  /**
   * One stored event, in seq order. `admitted` says whether the stream's filter admits it; a
   * `stream.online` of the stream's broadcasters starts a new session either way (a filter for
   * alert types alone would otherwise never reset the counters). Returns whether anything changed.
   */
  apply(seq: number, envelope: Envelope, admitted: boolean, startsSession: boolean): boolean {
    if (seq <= this.asOf) return false;
    this.asOf = seq;
    const event = envelope.event;
    if (envelope.messageType !== 'notification' || event === null) return false;
    if (envelope.type === 'stream.online' && startsSession) {
      this.counters = { follows: 0, subs: 0, bits: 0 };
      this.startedAt = typeof event.started_at === 'string' ? event.started_at : envelope.receivedAt;
      return true;
    }
    if (!admitted) return false;
    let changed = this.count(envelope.type, event);
    if (RECENT_TYPES.includes(envelope.type)) {
      const list = this.recent.get(envelope.type) ?? [];
      list.push({ seq, type: envelope.type, receivedAt: envelope.receivedAt, event });
      if (list.length > RECENT_PER_TYPE) list.shift();
      this.recent.set(envelope.type, list);
      changed = true;
    }
    if (envelope.type.startsWith('channel.goal.')) changed = this.goal(envelope.type, event) || changed;
    return changed;
  }

  private count(type: string, event: Record<string, unknown>): boolean {
    switch (type) {
      case 'channel.follow':
        this.counters.follows += 1;
        return true;
      case 'channel.subscribe':
        // A gifted sub was counted with its gift (channel.subscription.gift's total).
        if (event.is_gift === true) return false;
        this.counters.subs += 1;
        return true;
      case 'channel.subscription.message':
        this.counters.subs += 1;
        return true;
      case 'channel.subscription.gift':
        this.counters.subs += num(event.total);
        return true;
      case 'channel.cheer':
        if (!this.countsCheers) return false;
        this.counters.bits += num(event.bits);
        return true;
      case 'channel.bits.use':
        this.counters.bits += num(event.bits);
        return true;
      default:
        return false;
    }
  }

  private goal(type: string, event: Record<string, unknown>): boolean {
    const id = typeof event.id === 'string' ? event.id : undefined;
    if (!id) return false;
    this.goals.delete(id); // re-inserted last: the map's order is the order of updates
    this.goals.set(id, {
      id,
      goalType: typeof event.type === 'string' ? event.type : 'follow',
      description: typeof event.description === 'string' ? event.description : '',
      currentAmount: num(event.current_amount),
      targetAmount: num(event.target_amount),
      ended: type === 'channel.goal.end',
      achieved: event.is_achieved === true,
    });
    while (this.goals.size > MAX_GOALS) this.goals.delete(this.goals.keys().next().value!);
    return true;
  }

  snapshot(): SessionSnapshot {
    return {
      stream: this.stream,
      asOf: this.asOf,
      startedAt: this.startedAt,
      counters: { ...this.counters },
      recent: [...this.recent.values()].flat().sort((a, b) => a.seq - b.seq),
      goals: [...this.goals.values()],
    };
  }

  /** Takes back a snapshot saved by an earlier run (what it cannot read is left at its default). */
  restore(saved: Partial<SessionSnapshot>): void {
    if (typeof saved.asOf === 'number') this.asOf = saved.asOf;
    if (typeof saved.startedAt === 'string') this.startedAt = saved.startedAt;
    const counters = saved.counters;
    if (counters)
      this.counters = { follows: num(counters.follows), subs: num(counters.subs), bits: num(counters.bits) };
    for (const item of Array.isArray(saved.recent) ? saved.recent : []) {
      if (typeof item?.type !== 'string' || typeof item.seq !== 'number') continue;
      const list = this.recent.get(item.type) ?? [];
      list.push(item);
      this.recent.set(item.type, list.slice(-RECENT_PER_TYPE));
    }
    for (const goal of Array.isArray(saved.goals) ? saved.goals : [])
      if (typeof goal?.id === 'string') this.goals.set(goal.id, goal);
  }
}
