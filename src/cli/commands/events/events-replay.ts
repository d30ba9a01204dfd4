import type { Command } from 'commander';
import type { ReplayOptions } from './events-replay-run.js';
import { JSON_HELP, VERBOSE_HELP } from '../../cli-notes.js';
import { parseSince, statusParser } from './event-options.js';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./events-replay-run.js');

/** `events replay`: queue deliveries again, only ever to sinks this relay really has. */
export function registerReplay(events: Command): void {
  events
    .command('replay [ids...]')
    .description(
      'queue deliveries again (dead, delivered or pending), by id or by --since/--type/--sink/--status',
    )
    .option('--since <time>', 'events received at or after: ISO time or 30m, 2h, 7d', parseSince)
    .option('--type <glob>', 'event type, * allowed')
    .option('--sink <name>', 'only deliveries to this sink')
    .option(
      '--status <status>',
      'only deliveries in this state: pending, dead',
      statusParser(['pending', 'dead']),
    )
    .option('--json', JSON_HELP)
    .option('--verbose', VERBOSE_HELP)
    .action(async (ids: string[], options: ReplayOptions) => {
      await (await run()).replayEvents(ids, options);
    });
}
