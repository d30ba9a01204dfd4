import type { DeliveryQueue, EventInspector } from '../store/store.js';

/** What to replay: message ids, or events since a time, of a type, to a sink, in a state. */
export interface ReplaySelection {
  since?: Date;
  type?: string;
  sink?: string;
  status?: 'pending' | 'dead';
}

/** What a replay did: deliveries queued again, and the sinks whose deliveries it had to leave alone. */
export interface ReplayResult {
  requeued: number;
  /** Sinks the selected events have deliveries to but this relay no longer has: nobody would deliver them. */
  leftAlone: string[];
}

/** A replay that would do nothing useful, with why: nothing was queued again. */
export class ReplayRefused extends Error {
  readonly userMessage: string;
  constructor(message: string) {
    super(message);
    this.name = 'ReplayRefused';
    this.userMessage = message;
  }
}

/** Events read at most for a replay by state (as `events list --limit` allows). */
const MAX_SELECTED = 10_000;

/**
 * Queues deliveries again (`events replay`, `POST /api/replay`), only ever to sinks in
 * `configured` — the sinks of the relay that will deliver them.
 */
export async function replayDeliveries(
  store: EventInspector & DeliveryQueue,
  ids: string[],
  options: ReplaySelection,
  configured: readonly string[],
): Promise<ReplayResult> {
  if (ids.length === 0 && !options.since && !options.status)
    throw new ReplayRefused(
      'say what to replay: message ids, --since <time> or --status dead|pending (each with optional --type, --sink)',
    );
  if (options.sink && !configured.includes(options.sink))
    throw new ReplayRefused(
      `this relay has no sink named "${options.sink}" (its sinks: ${configured.join(', ')}), so nothing would ` +
        'deliver a replayed delivery to it: nothing was replayed. Check --sink, or add the sink to the config file first.',
    );
  const sinks = options.sink ? [options.sink] : configured;
  const leftAlone = new Set<string>();
  for (const id of ids) {
    const event = await store.getEvent(id);
    if (!event) throw new ReplayRefused(`no event with message id ${id}; nothing was replayed`);
    if (options.sink && !event.deliveries.some((d) => d.sink === options.sink)) {
      throw new ReplayRefused(
        `event ${id} has no delivery to sink "${options.sink}": the sink did not exist when the event arrived, ` +
          'or its filter left the event out. A replay re-sends existing deliveries only: nothing was replayed.',
      );
    }
    for (const d of event.deliveries) if (!configured.includes(d.sink)) leftAlone.add(d.sink);
  }
  const query = { ...(ids.length && { ids }), since: options.since, type: options.type };
  let requeued = 0;
  if (options.status) {
    const status = options.status;
    // Events with a delivery in that state, then per sink exactly those deliveries.
    const matching = await store.listEvents({ ...query, status, sink: options.sink, limit: MAX_SELECTED });
    const wanted = ids.length ? matching.filter((e) => ids.includes(e.id)) : matching;
    for (const sink of sinks) {
      const selected = wanted
        .filter((e) => e.deliveries.some((d) => d.sink === sink && d.status === status))
        .map((e) => e.id);
      if (selected.length > 0) requeued += await store.requeue({ ids: selected, sink });
    }
    for (const e of wanted)
      for (const d of e.deliveries)
        if (d.status === status && !configured.includes(d.sink)) leftAlone.add(d.sink);
  } else {
    for (const sink of sinks) requeued += await store.requeue({ ...query, sink });
    if (!ids.length && !options.sink) {
      for (const sink of (await store.listSinks()).filter((name) => !configured.includes(name))) {
        if ((await store.listEvents({ ...query, sink, limit: 1 })).length > 0) leftAlone.add(sink);
      }
    }
  }
  if (requeued === 0 && options.sink && leftAlone.size === 0 && !options.status) {
    throw new ReplayRefused(
      `no deliveries to sink "${options.sink}" match: events that arrived before "${options.sink}" was configured ` +
        '(or that its filter left out) have none, and a replay re-sends existing deliveries only. Nothing was replayed.',
    );
  }
  return { requeued, leftAlone: [...leftAlone].sort() };
}
