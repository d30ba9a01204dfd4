import type { Command } from 'commander';
import type { ListOptions } from './list-run.js';
import { JSON_HELP } from '../../cli-notes.js';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./list-run.js');

/**
 * `eventsub-relay list`: every page of Get EventSub Subscriptions as a table — with the app token
 * (webhook and conduit subscriptions), then with each stored user token (their WebSocket
 * subscriptions, e.g. those of a TRANSPORT=websocket relay).
 */
export function registerList(program: Command): void {
  program
    .command('list')
    .description(
      'list the EventSub subscriptions of this client id (all pages, with cost totals): webhook ones, then each stored user’s WebSocket ones',
    )
    .option('--status <status>', 'only this status, e.g. enabled, webhook_callback_verification_failed')
    .option('--type <type>', 'only this type, e.g. channel.follow')
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      '\n--json prints { subscriptions, total, total_cost, max_total_cost } as Twitch reports them, and websocket: the same per stored user.',
    )
    .action(async (options: ListOptions) => {
      await (await run()).list(options);
    });
}
