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
import { parseSampleOverride } from '../../../twitch/samples/sample-overrides.js';

export interface TriggerOptions {
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

/** `trigger`: through the running relay when it can, else signed and sent from here; prints each answer. */
export async function trigger(type: string | undefined, options: TriggerOptions): Promise<void> {
  const env = cliEnvironment();
  // Samples of a type, to this relay with its secret: the running relay sends them itself,
  // signed with the secret it really verifies with. A chosen target or secret is sent from here.
  const local = options.to !== undefined || options.secret !== undefined || options.retrigger !== undefined;
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
}

function report(url: string, results: TriggerResult[], options: TriggerOptions): void {
  printResults(url, results, Boolean(options.json));
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}
