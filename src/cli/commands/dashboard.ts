import type { Command } from 'commander';
import { cliEnvironment } from '../environment.js';
import { UserError } from '../user-error.js';

/**
 * The login URL of the relay's dashboard: `<origin>/dashboard/#token=<token>`. The token rides in
 * the URL's fragment, which a browser never sends to a server (so it reaches no access log, nginx's
 * or ours); the page posts it to /api/login once and removes it from the address bar and history.
 */
export function dashboardLoginUrl(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/dashboard/#token=${encodeURIComponent(token)}`;
}

/** HOST:PORT as a browser on this machine reaches it (a wildcard listen address is reached on loopback). */
function localOrigin(host: string, port: number): string {
  const reachable = { '0.0.0.0': '127.0.0.1', '::': '::1' }[host] ?? host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** `eventsub-relay dashboard`: prints a ready login URL for the web dashboard. */
export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('print a login URL for the web dashboard (/dashboard/ on the running relay)')
    .option(
      '--url <origin>',
      'the relay as your browser reaches it, e.g. https://relay.example.com (default: HOST:PORT here)',
    )
    .action(async (options: { url?: string }) => {
      // Loaded here, not at the top: the config's schemas are not needed for --help.
      const { loadRelayConfig } = await import('../../config/relay-config.js');
      const { readDashboardToken } = await import('../../config/dashboard-token.js');
      const config = loadRelayConfig(cliEnvironment());
      const token = readDashboardToken(config.dataDir, config.dashboard);
      if (!token)
        throw new UserError(
          `no dashboard token yet: set DASHBOARD_TOKEN, or start the relay once with this DATA_DIR ` +
            `(eventsub-relay serve writes ${config.dataDir}/dashboard-token)`,
        );
      const origin = options.url ?? localOrigin(config.server.host, config.server.port);
      process.stdout.write(`${dashboardLoginUrl(origin, token.value)}\n`);
      process.stderr.write(
        `Open it in a browser: it logs in with the dashboard token (from ${token.from}); anyone with this URL can operate the relay.\n`,
      );
    });
}
