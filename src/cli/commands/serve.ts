import type { Command } from 'commander';
import { loadRelayConfig, type RelayConfig } from '../../config/relay-config.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { startRelay, type RunningRelay } from '../../relay/start-relay.js';
import { redactedConfig } from '../../config/redacted-config.js';
import type { SessionSetupError } from '../../transports/websocket/errors.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the relay until SIGTERM/SIGINT: the webhook receiver (POST /callback), or with TRANSPORT=websocket an EventSub WebSocket session',
    )
    .action(async () => {
      const config = loadRelayConfig(process.env);
      const logger = createLogger(config.logLevel);
      await serve(config, logger);
    });
}

async function serve(config: RelayConfig, logger: Logger): Promise<void> {
  logger.info({ config: redactedConfig(config) }, 'starting eventsub-relay');
  if (config.secretFile?.generated && config.transport === 'webhook') {
    logger.warn(
      { path: config.secretFile.path },
      `generated a new EventSub secret in ${config.secretFile.path} (mode 0600). ` +
        '`eventsub-relay subscribe` uses it automatically; to use it elsewhere (twitch-cli -s, another tool), read it from that file.',
    );
  }
  // The transport may fail before startRelay has returned: remember it and stop once it has.
  const started: { relay?: RunningRelay } = {};
  let failure: SessionSetupError | undefined;
  const onTransportFailure = (error: SessionSetupError) => {
    // Only a person can fix it (e.g. the token cannot be renewed): say what to do, stop, exit 78.
    if (failure) return;
    failure = error;
    logger.fatal({ err: { message: error.message } }, error.message);
    process.stderr.write(`eventsub-relay: ${error.userMessage}\n`);
    if (started.relay) stopAndExit(started.relay, logger, error.exitCode);
  };
  const relay = await startRelay(config, logger, { onTransportFailure });
  started.relay = relay;
  if (failure) return stopAndExit(relay, logger, failure.exitCode);
  if (config.transport === 'websocket') {
    logger.info(
      { url: relay.url, eventSubWsUrl: config.eventSubWsUrl },
      `listening on ${relay.url} (health, metrics); events arrive over the EventSub WebSocket at ${config.eventSubWsUrl}, no public address needed`,
    );
  } else {
    logWebhookAddress(config, relay.url, logger);
  }

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    stopAndExit(relay, logger, 0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** Stops the relay (in-flight work finishes, the store closes), then exits with `code`. */
function stopAndExit(relay: RunningRelay, logger: Logger, code: number): void {
  relay.stop().then(
    () => {
      if (code === 0) logger.info('stopped cleanly');
      logger.flush();
      process.exit(code);
    },
    (error) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}

function logWebhookAddress(config: RelayConfig, url: string, logger: Logger): void {
  logger.info(
    { url, callback: config.publicUrl ? config.publicUrl + '/callback' : undefined },
    config.publicUrl
      ? `listening on ${url}; Twitch should call ${config.publicUrl}/callback`
      : `listening on ${url}; set PUBLIC_URL to the https origin Twitch reaches before subscribing ` +
          '(no public address? TRANSPORT=websocket needs none)',
  );

  if (config.publicUrl && !twitchCanCall(config.publicUrl)) {
    logger.warn(
      { publicUrl: config.publicUrl },
      `PUBLIC_URL ${config.publicUrl} is not https on port 443, which is all Twitch calls: fine for local tests, ` +
        'but subscribe/sync refuse it without --allow-insecure-callback; put nginx with TLS in front (docs/deploy.md)',
    );
  }
}

/** Twitch delivers only to https on port 443. */
function twitchCanCall(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'https:' && (url.port === '' || url.port === '443');
}
