import type { Command } from 'commander';
import { JSON_HELP } from '../../cli-notes.js';

/** The actions, loaded when one runs: they bring twurple and the token store, which `--help` does not need. */
const actions = () => import('./auth-actions.js');

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** `eventsub-relay auth …`: authorize broadcasters and manage their stored tokens. */
export function registerAuth(program: Command): void {
  const auth = program
    .command('auth')
    .description('authorize a broadcaster (or moderator) and manage the stored tokens in DATA_DIR/tokens');

  auth
    .command('login')
    .description(
      'authorize this client id in the browser (authorization code flow) or with --device (headless server)',
    )
    .option('--scopes <a,b>', 'scopes to request (comma-separated)', list)
    .option(
      '--types <t1,t2>',
      'request the scopes these EventSub types need (see `eventsub-relay types`)',
      list,
    )
    .option(
      '--device',
      'use the Device Code flow: prints a code to enter at twitch.tv/activate, no redirect listener needed',
    )
    .addHelpText(
      'after',
      "\nWithout --scopes/--types, the scopes of the config file's subscriptions are requested (no config file: pass one of them).\n" +
        'The new token replaces the stored one of the same user: request every scope they need at once\n' +
        '(the commands in error messages do); a warning names any scope the previous token had and this one lacks.\n' +
        'The redirect listener uses TWITCH_REDIRECT_URI (default http://localhost:3000), which must be registered with your Twitch app.',
    )
    .action(async (options: { scopes?: string[]; types?: string[]; device?: boolean }) => {
      await (await actions()).login(options);
    });

  auth
    .command('add')
    .description(
      'store a user token obtained elsewhere (e.g. `twitch token -u`) after validating it with Twitch',
    )
    .requiredOption('--access-token <token>', 'the user access token')
    .option('--refresh-token <token>', 'its refresh token, so the relay can renew it')
    .action(async (options: { accessToken: string; refreshToken?: string }) => {
      await (await actions()).add(options);
    });

  auth
    .command('status')
    .description(
      'show who is authorized, with which scopes, and when each token expires (reads DATA_DIR/tokens only: no Twitch call, no client credentials needed)',
    )
    .option('--json', JSON_HELP)
    .action(async (options: { json?: boolean }) => {
      (await actions()).status(options);
    });

  auth
    .command('validate')
    .description('check every stored token with Twitch (oauth2/validate), refreshing expired ones')
    .action(async () => {
      await (await actions()).validate();
    });

  auth
    .command('revoke <login>')
    .description(
      'revoke a stored token at Twitch and delete it here (subscriptions that need it are then revoked by Twitch)',
    )
    .option('--yes', 'do not ask for confirmation')
    .action(async (login: string, options: { yes?: boolean }) => {
      await (await actions()).revoke(login, options);
    });
}
