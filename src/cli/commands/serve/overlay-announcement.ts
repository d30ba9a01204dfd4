import type { RelayConfig } from '../../../config/relay-config.js';
import type { Logger } from '../../../observability/logger.js';
import { overlayOrigin, overlayStreams, overlayUrl } from '../../overlay-links.js';

/**
 * Tells the person who started `serve` where each stream's OBS browser source is. The URL carries
 * the stream token, a secret: it goes to the terminal only, written straight to stdout when that is
 * a terminal and never through the logger. Anywhere else (systemd, a pipe, a log file) the log
 * names the URL without its token and the command that prints it whole.
 */
export function announceOverlayUrls(
  config: Pick<RelayConfig, 'file' | 'dataDir' | 'server'>,
  port: number,
  logger: Logger,
  terminal = Boolean(process.stdout.isTTY),
): void {
  const entries = config.file.streams ?? [];
  if (entries.length === 0) return;
  const { origin, note } = overlayOrigin({ host: config.server.host, port });
  const streams = overlayStreams(entries, config.dataDir);
  if (terminal) {
    for (const stream of streams)
      process.stdout.write(`OBS browser source for stream "${stream.name}": ${overlayUrl(origin, stream)}\n`);
    if (note) process.stdout.write(`  (${note})\n`);
    return;
  }
  for (const stream of streams) {
    const withoutToken = overlayUrl(origin, { ...stream, token: 'TOKEN' });
    logger.info(
      { stream: stream.name, overlay: withoutToken },
      `OBS browser source for stream "${stream.name}": ${withoutToken} — run \`eventsub-relay overlay url --stream ${stream.name}\` in a terminal for the URL with its token` +
        (note ? ` (${note})` : ''),
    );
  }
}
