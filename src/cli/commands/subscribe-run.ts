import { subscriptionsForAdvice } from '../../config/relay-config.js';
import { findEntry } from '../../twitch/catalog-lookup.js';
import { callbackUrl } from '../../subscriptions/callback-url.js';
import { createPrepared } from '../../subscriptions/create.js';
import { prepareSubscription } from '../../subscriptions/prepare.js';
import { openTwitchContext, prepareContext, subscriptionSecret } from '../twitch-context.js';
import { refuseUnderWebSocket } from '../webhook-only.js';

/** `subscribe <type>`: the wanted subscription checked against the tokens, then created on Twitch. */
export async function subscribe(
  type: string,
  options: {
    broadcaster?: string;
    version?: string;
    condition?: Record<string, string>;
    allowInsecureCallback?: boolean;
  },
): Promise<void> {
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
}
