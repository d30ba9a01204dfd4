import type { Command } from 'commander';
import type { SyncFlags } from './sync-command-run.js';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./sync-command-run.js');

/** `eventsub-relay sync`: make Twitch match the config file's `subscriptions:` list. */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description(
      "make Twitch's subscriptions match the config file's `subscriptions:` list (prints the plan, then applies it)",
    )
    .option('--dry-run', 'print the plan only')
    .option(
      '--prune',
      'also delete our subscriptions (callback PUBLIC_URL/callback, or on the conduit with TRANSPORT=conduit) that are not in the list',
    )
    .option(
      '--rotate-secret',
      'recreate our subscriptions with the current EVENTSUB_SECRET (keep the old one in EVENTSUB_PREVIOUS_SECRETS meanwhile)',
    )
    .option(
      '--allow-insecure-callback',
      'allow a PUBLIC_URL that is not https on port 443 (local testing against a fake only)',
    )
    .option('--yes', 'do not ask before deleting or recreating')
    .addHelpText(
      'after',
      '\nConfig file (CONFIG_FILE, default ./eventsub-relay.yml):\n  subscriptions:\n    - { type: channel.follow, broadcaster: mychannel }\n    - { type: stream.online, version: "1", broadcaster: mychannel, condition: {} }',
    )
    .action(async (options: SyncFlags) => {
      await (await run()).sync(options);
    });
}
