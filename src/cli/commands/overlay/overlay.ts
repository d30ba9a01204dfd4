import { InvalidArgumentError, type Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { cliEnvironment } from '../../environment.js';
import { OVERLAY_PAGES, type OverlayPage } from '../../overlay-pages.js';
import { UserError } from '../../user-error.js';

interface OverlayUrlOptions {
  stream?: string;
  host?: string;
  url?: string;
  page: OverlayPage;
}

function parsePage(value: string): OverlayPage {
  if (!Object.hasOwn(OVERLAY_PAGES, value))
    throw new InvalidArgumentError(`must be one of ${Object.keys(OVERLAY_PAGES).join(', ')}`);
  return value as OverlayPage;
}

function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an origin such as https://relay.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('must be an http(s) origin');
  return url.origin;
}

/**
 * `eventsub-relay overlay url`: the browser-source URL of each stream, token included, as `serve`
 * prints it at start-up. Reads what the relay reads (config file, DATA_DIR) and creates nothing.
 */
export function registerOverlay(program: Command): void {
  const overlay = program
    .command('overlay')
    .description('the OBS browser-source pages the relay serves at /overlay/');
  overlay
    .command('url')
    .description('print the ready-to-paste browser-source URL of each stream (it contains the stream token)')
    .option('--stream <name>', 'only this stream of streams: in eventsub-relay.yml')
    .option(
      '--host <name>',
      'host name or address OBS uses to reach the relay (default: this machine’s LAN address when HOST is 0.0.0.0)',
    )
    .option(
      '--url <origin>',
      'the whole origin instead, e.g. https://relay.example.com behind nginx',
      parseOrigin,
    )
    .option(`--page <page>`, `which page: ${Object.keys(OVERLAY_PAGES).join(', ')}`, parsePage, 'alerts')
    .action(async (options: OverlayUrlOptions) => {
      // Loaded here, not at the top: the config's schemas and YAML parser are not needed for --help.
      const { parseEnv } = await import('../../../config/parse-env.js');
      const { loadConfigFile } = await import('../../../config/config-file.js');
      const { overlayOrigin, overlayStreams, overlayUrl } = await import('../../overlay-links.js');
      const env = cliEnvironment();
      const parsed = parseEnv(env);
      const file = loadConfigFile(parsed.CONFIG_FILE, env);
      const entries = file.streams ?? [];
      const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(parsed.DATA_DIR);
      const names = entries
        .map((entry) => (entry as { name?: unknown } | null)?.name)
        .filter((name): name is string => typeof name === 'string');
      if (names.length === 0)
        throw new UserError(
          `${file.path ?? 'eventsub-relay.yml'} has no \`streams:\` entries; add one, e.g. \`streams: [{ name: overlay }]\` (docs/alerts.md)`,
        );
      if (options.stream !== undefined && !names.includes(options.stream))
        throw new UserError(
          `no stream named "${options.stream}"; the configured streams are ${names.join(', ')}`,
        );
      const wanted = entries.filter(
        (entry) =>
          options.stream === undefined || (entry as { name?: unknown } | null)?.name === options.stream,
      );
      const streams = overlayStreams(wanted, dataDir);
      const { origin, note } = overlayOrigin({ host: parsed.HOST, port: parsed.PORT }, options);
      for (const stream of streams) {
        const url = overlayUrl(origin, stream, options.page);
        process.stdout.write(options.stream !== undefined ? `${url}\n` : `${stream.name}: ${url}\n`);
      }
      if (note) process.stderr.write(`note: ${note}\n`);
    });
}
