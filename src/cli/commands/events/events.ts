import type { Command } from 'commander';
import { parseLimit, parseSince, statusParser } from './event-options.js';
import { registerReplay } from './events-replay.js';
import { JSON_HELP, VERBOSE_HELP } from '../../cli-notes.js';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./events-run.js');

export function registerEvents(program: Command): void {
  const events = program
    .command('events')
    .description('inspect stored events, their deliveries, and replay them');

  events
    .command('list')
    .description('recent events with the delivery state per sink (newest first)')
    .option('--type <glob>', 'event type, * allowed (channel.*)')
    .option(
      '--status <status>',
      'only events with a delivery in this state: pending, delivered, dead',
      statusParser(),
    )
    .option('--sink <name>', 'only events with a delivery to this sink')
    .option('--since <time>', 'received at or after: ISO time or 30m, 2h, 7d', parseSince)
    .option('--limit <n>', 'at most this many (1–10000)', parseLimit, 50)
    .option('--json', JSON_HELP)
    .option('--verbose', VERBOSE_HELP)
    .action(async (options) => {
      await (await run()).listEvents(options);
    });

  events
    .command('show <id>')
    .description('one event: its envelope, deliveries and every attempt')
    .option('--json', JSON_HELP)
    .option('--verbose', VERBOSE_HELP)
    .action(async (id: string, options) => {
      await (await run()).showEvent(id, options);
    });

  registerReplay(events);

  events
    .command('dead')
    .description('deliveries that used up their retry schedule')
    .option('--sink <name>', 'only this sink')
    .option('--limit <n>', 'at most this many (1–10000)', parseLimit, 100)
    .option('--json', JSON_HELP)
    .option('--verbose', VERBOSE_HELP)
    .action(async (options) => {
      await (await run()).listDead(options);
    });
}
