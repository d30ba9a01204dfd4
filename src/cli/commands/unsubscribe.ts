import type { Command } from 'commander';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./unsubscribe-run.js');

/** `eventsub-relay unsubscribe <id…> | --type T --broadcaster B | --all`. */
export function registerUnsubscribe(program: Command): void {
  program
    .command('unsubscribe [ids...]')
    .description('delete subscriptions by id, by --type and --broadcaster, or --all (asks for confirmation)')
    .option('--type <type>', 'delete subscriptions of this type')
    .option('--broadcaster <login|id>', 'delete subscriptions whose condition names this user')
    .option('--all', 'delete every subscription of this client id')
    .option('--yes', 'do not ask for confirmation (scripts, CI)')
    .action(
      async (
        ids: string[],
        options: { type?: string; broadcaster?: string; all?: boolean; yes?: boolean },
      ) => {
        await (await run()).unsubscribe(ids, options);
      },
    );
}
