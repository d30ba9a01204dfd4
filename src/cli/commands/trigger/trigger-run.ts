import { findEntry } from '../../../twitch/catalog-lookup.js';
import { parseEnv } from '../../../config/parse-env.js';
import { cliEnvironment } from '../../environment.js';
import { buildWebhookRequest } from '../../../twitch/webhook-request.js';
import { callbackTarget, relaySecret } from './relay-target.js';
import { sendWebhook } from './send-webhook.js';
import { judgeAnswer, printResults, type TriggerResult } from './trigger-output.js';
import { sampleMessages, storedMessage, type PlannedMessage } from './trigger-messages.js';
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
    // Loaded here: only --retrigger reads the store.
    const { withStore } = await import('../../open-cli-store.js');
    const detail = await withStore((store) => store.getEvent(id));
    if (!detail)
      throw new UserError(`no stored event with message id ${id}; see \`eventsub-relay events list\``);
    return [storedMessage(detail)];
  }
  if (type === undefined)
    throw new UserError(
      'name the EventSub type to send, e.g. `eventsub-relay trigger channel.follow` (`eventsub-relay types` lists them)',
    );
  if (options.revocation && options.challenge)
    throw new UserError('choose one of --revocation and --challenge');
  const entry = findEntry(type, options.version);
  const kind = options.challenge ? 'challenge' : options.revocation ? 'revocation' : 'notification';
  if (options.set.length > 0 && kind !== 'notification')
    throw new UserError('--set changes the event of a notification; a revocation or challenge has none');
  const overrides = options.set.map(parseSampleOverride);
  // Samples carry this relay's application as their client id, when it has one (TWITCH_CLIENT_ID).
  const clientId = parseEnv(cliEnvironment()).TWITCH_CLIENT_ID;
  return sampleMessages(entry, kind, options.count, {
    ...(options.broadcaster && { broadcasterId: options.broadcaster }),
    ...(clientId && { clientId }),
    overrides,
  });
}

/** `trigger`: signs and sends each planned message, then prints how each was answered. */
export async function trigger(type: string | undefined, options: TriggerOptions): Promise<void> {
  const messages = await plan(type, options);
  const url = callbackTarget(options.to);
  const secret = options.secret ?? relaySecret();
  const results: TriggerResult[] = [];
  for (const message of messages) {
    const request = buildWebhookRequest({
      secret,
      messageType: message.messageType,
      body: message.body,
      subscriptionType: message.type,
      subscriptionVersion: message.version,
      ...(message.messageId && { messageId: message.messageId }),
    });
    const answer = await sendWebhook(url, request);
    results.push(judgeAnswer(message, request.messageId, answer, Boolean(options.retrigger)));
  }
  printResults(url, results, Boolean(options.json));
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}
