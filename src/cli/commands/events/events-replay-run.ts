import { loadRelayConfig } from '../../../config/relay-config.js';
import { replayDeliveries, type ReplayResult } from '../../../admin/replay.js';
import { actingLocallyNote, findRunningRelay } from '../../admin-client.js';
import { cliEnvironment } from '../../environment.js';
import { withStore } from '../../open-cli-store.js';
import { UserError } from '../../user-error.js';
import { deliveries, type Status } from './event-options.js';

export interface ReplayOptions {
  since?: Date;
  type?: string;
  sink?: string;
  status?: Extract<Status, 'pending' | 'dead'>;
  json?: boolean;
}

/**
 * `events replay`: through the running relay when one answers (it replays to its own sinks: its
 * FORWARD_URL and config file, not ours), else on the store with this command's configuration.
 */
export async function replayEvents(ids: string[], options: ReplayOptions): Promise<void> {
  const env = cliEnvironment();
  const lookup = await findRunningRelay(env);
  let result: ReplayResult;
  let leftAloneWhy: string;
  if (lookup.relay) {
    result = await lookup.relay.post<ReplayResult>('/replay', {
      ids,
      ...(options.since && { since: options.since.toISOString() }),
      ...(options.type && { type: options.type }),
      ...(options.sink && { sink: options.sink }),
      ...(options.status && { status: options.status }),
    });
    leftAloneWhy = `the relay at ${lookup.relay.origin} has no sink of that name`;
  } else {
    process.stderr.write(actingLocallyNote('events replay', lookup.reason));
    // Loaded here: the sink kinds bring their clients (Redis, NATS, …) that no other command needs.
    const { configuredSinkNames } = await import('../../../delivery/config/configured-sinks.js');
    const configured = configuredSinkNames(loadRelayConfig(env));
    result = await withStore((store) => replayDeliveries(store, ids, options, configured));
    leftAloneWhy =
      'no sink of that name is configured (run this with the relay’s own .env and CONFIG_FILE, ' +
      'e.g. `sudo eventsub-relay …` for the installed service)';
  }
  const leftAlone = result.leftAlone.length
    ? `; left alone the deliveries to ${result.leftAlone.join(', ')}: ${leftAloneWhy}`
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
