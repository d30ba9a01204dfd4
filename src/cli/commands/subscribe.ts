import { InvalidArgumentError, type Command } from 'commander';
import { subscriptionsForAdvice } from '../../config/relay-config.js';
import { findEntry } from '../../twitch/catalog-lookup.js';
import { callbackUrl } from '../../subscriptions/callback-url.js';
import { createPrepared } from '../../subscriptions/create.js';
import { prepareSubscription } from '../../subscriptions/prepare.js';
import { openTwitchContext, prepareContext, subscriptionSecret } from '../twitch-context.js';
import { refuseUnderWebSocket } from '../webhook-only.js';

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
        findEntry(type, options.version); // an unknown type fails before anything else is needed
        const ctx = openTwitchContext();
        refuseUnderWebSocket(ctx.config, 'eventsub-relay subscribe');
        const callback = callbackUrl(ctx.config.webhook.publicUrl, Boolean(options.allowInsecureCallback));
        const advice = prepareContext(ctx, subscriptionsForAdvice(ctx.config));
        const prepared = await prepareSubscription(
          {
            type,
            broadcaster: options.broadcaster,
            condition: options.condition ?? {},
            ...(options.version && { version: options.version }),
          },
          advice,
        );
        const { wanted } = prepared;
        const outcome = await createPrepared(
          ctx.twitch,
          prepared,
          { callback, secret: subscriptionSecret(ctx) },
          advice,
        );
        if ('exists' in outcome) {
          return void process.stdout.write(
            `already subscribed: ${wanted.type} v${wanted.version} ${JSON.stringify(wanted.condition)} exists on Twitch (see \`eventsub-relay list\`)\n`,
          );
        }
        const { created } = outcome;
        process.stdout.write(
          `created ${created.type} v${created.version} ${JSON.stringify(created.condition)}: id ${created.id}, status ${created.status}, cost ${created.cost}\n`,
        );
        if (created.status === 'webhook_callback_verification_pending') {
          process.stdout.write(
            `Twitch will now send a challenge to ${callback}; the service (\`eventsub-relay serve\`) must be running and reachable there, ` +
              'or the subscription ends as webhook_callback_verification_failed. Check with `eventsub-relay list`.\n',
          );
        }
      },
    );
}
