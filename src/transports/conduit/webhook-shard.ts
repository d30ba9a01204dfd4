import type { Logger } from '../../observability/logger.js';
import type { ConduitApi } from '../../subscriptions/conduit-api.js';
import { SessionSetupError } from '../websocket/errors.js';
import type { ConduitTransport } from './conduit-transport.js';

export interface WebhookShardOptions {
  conduitId: string;
  shard: number;
  /** PUBLIC_URL/callback: the relay's own receiver answers the challenge and takes the events. */
  callback: string;
  /** The current EventSub secret: Twitch signs the shard's messages with it. */
  secret: string;
  conduitApi: ConduitApi;
  logger: Logger;
  onFatal(error: SessionSetupError): void;
  /** How often and how long to look for the challenge's outcome (Twitch answers the PATCH at once, pending). */
  pollMs?: number;
  waitMs?: number;
}

/**
 * A webhook shard (CONDUIT_SHARD_TRANSPORT=webhook): once the relay listens, PUBLIC_URL/callback is
 * assigned to the shard with the EventSub secret; Twitch sends the signed challenge
 * `{challenge, conduit_shard}` there (answered by the receiver like any challenge) and, once it is
 * echoed, the shard's notifications, which enter the same intake as every webhook
 * (https://dev.twitch.tv/docs/eventsub/handling-conduit-events/). The shard's status is read back
 * until the challenge has an outcome, so a callback Twitch cannot reach is reported, not silent.
 */
export function startWebhookShard(options: WebhookShardOptions): ConduitTransport {
  const { conduitId, shard, conduitApi } = options;
  const log = options.logger.child({ transport: 'conduit', conduitId, shard });
  let stopped = false;
  const done = (async () => {
    try {
      await conduitApi.assignWebhook(conduitId, String(shard), options.callback, options.secret);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return options.onFatal(
        new SessionSetupError(`cannot assign ${options.callback} to shard ${shard}: ${message}`, true),
      );
    }
    const deadline = Date.now() + (options.waitMs ?? 15_000);
    while (!stopped && Date.now() < deadline) {
      const found = (await conduitApi.shards(conduitId)).find((s) => s.id === String(shard));
      if (found?.status === 'enabled')
        return log.info(
          { callback: options.callback },
          `shard ${shard} of conduit ${conduitId} is ${options.callback}; receiving events`,
        );
      if (found && found.status !== 'webhook_callback_verification_pending')
        return log.error(
          { callback: options.callback, status: found.status },
          `Twitch did not enable shard ${shard} (${found.status}): it must reach ${options.callback} over https on port 443 ` +
            'and get the challenge echoed (`eventsub-relay doctor` checks each hop)',
        );
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
  })();
  return {
    sessionId: () => undefined,
    async stop() {
      stopped = true;
      await done.catch(() => undefined);
    },
  };
}
