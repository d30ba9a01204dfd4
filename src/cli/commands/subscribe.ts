import { InvalidArgumentError, type Command } from 'commander';

/** What the command does, loaded when it runs: Twitch's clients and the config are not needed for --help. */
const run = () => import('./subscribe-run.js');

/** Parses repeated `--condition key=value`. */
function conditionPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1)
    throw new InvalidArgumentError(`expected key=value, e.g. moderator_user_id=1234, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** `eventsub-relay subscribe <type> --broadcaster <login|id>`. */
export function registerSubscribe(program: Command): void {
  program
    .command('subscribe <type>')
    .description(
      'create a webhook subscription pointing at PUBLIC_URL/callback (scopes are checked before Twitch is called)',
    )
    .option(
      '--broadcaster <login|id>',
      'the channel; fills broadcaster_user_id (and moderator_user_id/user_id) in the condition',
    )
    .option('--version <v>', 'subscription version (default: the newest in `eventsub-relay types`)')
    .option('--condition <key=value>', 'extra or overriding condition field (repeatable)', conditionPair)
    .option(
      '--allow-insecure-callback',
      'allow a PUBLIC_URL that is not https on port 443 (local testing against a fake only)',
    )
    .action(
      async (
        type: string,
        options: {
          broadcaster?: string;
          version?: string;
          condition?: Record<string, string>;
          allowInsecureCallback?: boolean;
        },
      ) => {
        await (await run()).subscribe(type, options);
      },
    );
}
