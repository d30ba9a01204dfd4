import { loadRelayConfig } from '../../../config/relay-config.js';
import type { DeliveryQueue, EventInspector } from '../../../store/store.js';
import { cliEnvironment } from '../../environment.js';
import { withStore } from '../../open-cli-store.js';
import { UserError } from '../../user-error.js';
import { deliveries, MAX_LIMIT, type Status } from './event-options.js';

export interface ReplayOptions {
  since?: Date;
  type?: string;
  sink?: string;
  status?: Extract<Status, 'pending' | 'dead'>;
  json?: boolean;
}

/** What a replay did: deliveries queued again, and the sinks whose deliveries it had to leave alone. */
interface ReplayResult {
  requeued: number;
  /** Sinks the selected events have deliveries to but this relay no longer has: nobody would deliver them. */
  leftAlone: string[];
}

/** `events replay`: checks the sinks against the config, then requeues the chosen deliveries. */
export async function replayEvents(ids: string[], options: ReplayOptions): Promise<void> {
  if (ids.length === 0 && !options.since && !options.status) {
    throw new UserError(
      'say what to replay: message ids, --since <time> or --status dead|pending (each with optional --type, --sink)',
    );
  }
  // Loaded here: the sink kinds bring their clients (Redis, NATS, …) that no other command needs.
  const { configuredSinkNames } = await import('../../../delivery/config/configured-sinks.js');
  const configured = configuredSinkNames(loadRelayConfig(cliEnvironment()));
  if (options.sink && !configured.includes(options.sink)) {
    throw new UserError(
      `this relay has no sink named "${options.sink}" (its sinks: ${configured.join(', ')}), so nothing would ` +
        'deliver a replayed delivery to it: nothing was replayed. Check --sink, or add the sink to the config file first.',
    );
  }
  const result = await withStore((store) => replay(store, ids, options, configured));
  const leftAlone = result.leftAlone.length
    ? `; left alone the deliveries to ${result.leftAlone.join(', ')}: no sink of that name is configured ` +
      '(run this with the relay’s own .env and CONFIG_FILE, e.g. `sudo eventsub-relay …` for the installed service)'
    : '';
  if (result.requeued === 0 && result.leftAlone.length > 0)
    throw new UserError(`nothing was replayed${leftAlone}`);
  process.stdout.write(
    options.json
      ? JSON.stringify(result, null, 2) + '\n'
      : result.requeued === 0
        ? `nothing to replay: no ${options.status ?? ''}${options.status ? ' ' : ''}deliveries match\n`
        : `${deliveries(result.requeued)} queued again; a running relay delivers ${result.requeued === 1 ? 'it' : 'them'} within a few seconds${leftAlone}\n`,
  );
}

async function replay(
  store: EventInspector & DeliveryQueue,
  ids: string[],
  options: ReplayOptions,
  configured: readonly string[],
): Promise<ReplayResult> {
  const sinks = options.sink ? [options.sink] : configured;
  const leftAlone = new Set<string>();
  for (const id of ids) {
    const event = await store.getEvent(id);
    if (!event) throw new UserError(`no event with message id ${id}; nothing was replayed`);
    if (options.sink && !event.deliveries.some((d) => d.sink === options.sink)) {
      throw new UserError(
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
    const matching = await store.listEvents({ ...query, status, sink: options.sink, limit: MAX_LIMIT });
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
    throw new UserError(
      `no deliveries to sink "${options.sink}" match: events that arrived before "${options.sink}" was configured ` +
        '(or that its filter left out) have none, and a replay re-sends existing deliveries only. Nothing was replayed.',
    );
  }
  return { requeued, leftAlone: [...leftAlone].sort() };
}
