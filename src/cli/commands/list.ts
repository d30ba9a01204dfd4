import type { Command } from 'commander';
import { openTwitchContext } from '../twitch-context.js';
import { renderTable } from '../table.js';
import { JSON_HELP } from '../cli-notes.js';

/** `eventsub-relay list`: every page of Get EventSub Subscriptions as a table. */
export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the EventSub subscriptions of this client id (all pages), with cost totals')
    .option('--status <status>', 'only this status, e.g. enabled, webhook_callback_verification_failed')
    .option('--type <type>', 'only this type, e.g. channel.follow')
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      '\n--json prints { subscriptions, total, total_cost, max_total_cost } as Twitch reports them.',
    )
    .action(async (options: { status?: string; type?: string; json?: boolean }) => {
      const ctx = openTwitchContext();
      const listing = await ctx.twitch.listAll();
      const shown = listing.subscriptions.filter(
        (s) => (!options.status || s.status === options.status) && (!options.type || s.type === options.type),
      );
      if (options.json) {
        const json = {
          subscriptions: shown,
          total: listing.total,
          total_cost: listing.totalCost,
          max_total_cost: listing.maxTotalCost,
        };
        return void process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      }
      const rows = shown.map((s) => [
        s.id,
        s.type,
        s.version,
        JSON.stringify(s.condition),
        s.status,
        s.createdAt,
        String(s.cost),
      ]);
      process.stdout.write(
        renderTable(['ID', 'TYPE', 'VERSION', 'CONDITION', 'STATUS', 'CREATED', 'COST'], rows),
      );
      process.stdout.write(
        `${shown.length} shown; total ${listing.total}, total_cost ${listing.totalCost} of max_total_cost ${listing.maxTotalCost}\n`,
      );
    });
}
