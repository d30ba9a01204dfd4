import { InvalidArgumentError, type Command } from 'commander';
import { findEntry } from '../../../twitch/catalog-lookup.js';
import { parseEnv } from '../../../config/parse-env.js';
import { cliEnvironment } from '../../environment.js';
import { withStore } from '../../open-cli-store.js';
import { actingLocallyNote, findRunningRelay } from '../../admin-client.js';
import { sampleMessages, type PlannedMessage } from '../../../admin/test-events/sample-messages.js';
import type { TriggerResult } from '../../../admin/test-events/judge-answer.js';
import { sendTestMessages } from '../../../admin/test-events/send-test-events.js';
import type { TestEventRequest } from '../../../admin/routes/trigger.js';
import { callbackTarget, relaySecret } from './relay-target.js';
import { printResults } from './trigger-output.js';
import { storedMessage } from './trigger-messages.js';
import { UserError } from '../../user-error.js';
import { JSON_HELP } from '../../cli-notes.js';
import { parseSampleOverride } from '../../../twitch/samples/sample-overrides.js';

interface TriggerOptions {
  version?: string;
  to?: string;
  secret?: string;
  broadcaster?: string;
  count: number;
  revocation?: boolean;
  challenge?: boolean;
  retrigger?: string;
  json?: boolean;
  set: string[];
}

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

/** A type to send samples of, and one kind of message. */
function checkSampleFlags(type: string | undefined, options: TriggerOptions): void {
  if (type === undefined)
    throw new UserError(
      'name the EventSub type to send, e.g. `eventsub-relay trigger channel.follow` (`eventsub-relay types` lists them)',
    );
  if (options.revocation && options.challenge)
    throw new UserError('choose one of --revocation and --challenge');
  if (options.set.length > 0 && (options.revocation || options.challenge))
    throw new UserError('--set changes the event of a notification; a revocation or challenge has none');
  options.set.forEach(parseSampleOverride); // a malformed key=value is refused before anything is sent
  findEntry(type, options.version); // an unknown type is refused here, with "did you mean"
}

/** What to send: the stored message for --retrigger, else samples of <type>. */
async function plan(type: string | undefined, options: TriggerOptions): Promise<PlannedMessage[]> {
  if (options.retrigger !== undefined) {
    if (
      type !== undefined ||
      options.revocation ||
      options.challenge ||
      options.count !== 1 ||
      options.set.length > 0
    )
      throw new UserError(
        '--retrigger re-sends one stored message as it was: give no <type>, --count, --revocation, --challenge or --set',
      );
    const id = options.retrigger;
    const detail = await withStore((store) => store.getEvent(id));
    if (!detail)
      throw new UserError(`no stored event with message id ${id}; see \`eventsub-relay events list\``);
    return [storedMessage(detail)];
  }
  checkSampleFlags(type, options);
  const entry = findEntry(type!, options.version);
  const kind = options.challenge ? 'challenge' : options.revocation ? 'revocation' : 'notification';
  const overrides = options.set.map(parseSampleOverride);
  // Samples carry this relay's application as their client id, when it has one (TWITCH_CLIENT_ID).
  const clientId = parseEnv(cliEnvironment()).TWITCH_CLIENT_ID;
  return sampleMessages(entry, kind, options.count, {
    ...(options.broadcaster && { broadcasterId: options.broadcaster }),
    ...(clientId && { clientId }),
    overrides,
  });
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
      const env = cliEnvironment();
      // Samples of a type, to this relay with its secret: the running relay sends them itself,
      // signed with the secret it really verifies with. A chosen target or secret is sent from here.
      const local =
        options.to !== undefined || options.secret !== undefined || options.retrigger !== undefined;
      if (!local) {
        checkSampleFlags(type, options);
        const lookup = await findRunningRelay(env);
        if (lookup.relay) {
          const request: TestEventRequest = {
            type: type!,
            ...(options.version && { version: options.version }),
            kind: options.challenge ? 'challenge' : options.revocation ? 'revocation' : 'notification',
            count: options.count,
            ...(options.broadcaster && { broadcaster: options.broadcaster }),
            set: options.set.map(parseSampleOverride),
          };
          const { url, results } = await lookup.relay.post<{ url: string; results: TriggerResult[] }>(
            '/trigger',
            request,
          );
          return report(url, results, options);
        }
        process.stderr.write(actingLocallyNote('trigger', lookup.reason));
      }
      const messages = await plan(type, options);
      const url = callbackTarget(options.to);
      const secret = options.secret ?? relaySecret();
      const results = await sendTestMessages({ url, secret }, messages, Boolean(options.retrigger));
      report(url, results, options);
    });
}

function report(url: string, results: TriggerResult[], options: TriggerOptions): void {
  printResults(url, results, Boolean(options.json));
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}
