import { InvalidArgumentError, type Command } from 'commander';
import type { TriggerOptions } from './trigger-run.js';
import { JSON_HELP } from '../../cli-notes.js';

/** What the command does, loaded when it runs: --help and the other commands do not pay for its imports. */
const run = () => import('./trigger-run.js');

function parseCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count < 1 || count > 1000)
    throw new InvalidArgumentError('must be a whole number from 1 to 1000, e.g. --count 5');
  return count;
}

function parseBroadcaster(value: string): string {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`must be a Twitch user id (digits), got "${value}"`);
  return value;
}

/** `eventsub-relay trigger <type> …` and `trigger --retrigger <message-id>`. */
export function registerTrigger(program: Command): void {
  program
    .command('trigger [type]')
    .description(
      "send a signed Twitch-shaped notification, revocation or challenge (from the catalog's sample payloads) to the callback and show the answer",
    )
    .option('--version <v>', 'subscription version (default: the newest in `eventsub-relay types`)')
    .option(
      '--to <url>',
      'where to POST (default: this relay, http://HOST:PORT/callback; "public" = PUBLIC_URL/callback)',
    )
    .option(
      '--secret <s>',
      "sign with this secret (default: the relay's, EVENTSUB_SECRET or DATA_DIR/eventsub-secret)",
    )
    .option(
      '--broadcaster <id>',
      'broadcaster user id in the condition and the event (default 1337)',
      parseBroadcaster,
    )
    .option('--count <n>', 'send this many notifications, each with its own message id', parseCount, 1)
    .option('--revocation', 'send a revocation (status authorization_revoked) instead of a notification')
    .option(
      '--challenge',
      'send a webhook_callback_verification and check that the challenge comes back exactly',
    )
    .option(
      '--retrigger <message-id>',
      're-send a stored event (same id and body, fresh timestamp): a duplicate, answered 2xx and stored once',
    )
    .option(
      '--set <key=value>',
      'change a field of the sample event: user, amount, bits, viewers, message, tier, months … or a dotted path (reward.title); repeat for more',
      (value: string, list: string[]) => [...list, value],
      [],
    )
    .option('--json', JSON_HELP)
    .action(async (type: string | undefined, options: TriggerOptions) => {
      await (await run()).trigger(type, options);
    });
}
