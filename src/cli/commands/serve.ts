import type { Command } from 'commander';
import { loadRelayConfig, type RelayConfig } from '../../config/relay-config.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { startRelay } from '../../relay/start-relay.js';
import { redactedConfig } from '../../config/redacted-config.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the webhook receiver (POST /callback) until SIGTERM/SIGINT')
    .action(async () => {
      const config = loadRelayConfig(process.env);
      const logger = createLogger(config.logLevel);
      await serve(config, logger);
    });
}

async function serve(config: RelayConfig, logger: Logger): Promise<void> {
  logger.info({ config: redactedConfig(config) }, 'starting eventsub-relay');
  if (config.secretFile?.generated) {
    logger.warn(
      { path: config.secretFile.path },
      `generated a new EventSub secret in ${config.secretFile.path} (mode 0600). ` +
        '`eventsub-relay subscribe` uses it automatically; to use it elsewhere (twitch-cli -s, another tool), read it from that file.',
    );
  }
  const relay = await startRelay(config, logger);
  logger.info(
    { url: relay.url, callback: config.publicUrl ? config.publicUrl + '/callback' : undefined },
    config.publicUrl
      ? `listening on ${relay.url}; Twitch should call ${config.publicUrl}/callback`
      : `listening on ${relay.url}; set PUBLIC_URL to the https origin Twitch reaches before subscribing`,
  );

  if (config.publicUrl && !twitchCanCall(config.publicUrl)) {
    logger.warn(
      { publicUrl: config.publicUrl },
      `PUBLIC_URL ${config.publicUrl} is not https on port 443, which is all Twitch calls: fine for local tests, ` +
        'but subscribe/sync refuse it without --allow-insecure-callback; put nginx with TLS in front (docs/deploy.md)',
    );
  }

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    relay.stop().then(
      () => {
        logger.info('stopped cleanly');
        logger.flush();
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** Twitch delivers only to https on port 443. */
function twitchCanCall(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'https:' && (url.port === '' || url.port === '443');
}
