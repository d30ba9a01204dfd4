import type { Command } from 'commander';
import { revokeToken } from '@twurple/auth';
import { authorizeToken } from '../../auth/authorize-token.js';
import { loginWithCode } from '../../auth/code-flow.js';
import { pollDeviceToken, startDeviceFlow } from '../../auth/device-flow.js';
import { AuthSetupError } from '../../auth/auth-errors.js';
import { createAuthProvider } from '../../auth/auth-provider.js';
import type { StoredToken } from '../../auth/token-store.js';
import { scopesForTypes } from '../../twitch/catalog-lookup.js';
import { loadConfigFile } from '../../config/config-file.js';
import { parseDesired } from '../../subscriptions/desired.js';
import { openTwitchContext } from '../twitch-context.js';
import { confirm } from '../confirm.js';
import { renderTable } from '../table.js';

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** `eventsub-relay auth …`: authorize broadcasters and manage their stored tokens. */
export function registerAuth(program: Command): void {
  const auth = program
    .command('auth')
    .description('authorize a broadcaster (or moderator) and manage the stored tokens in DATA_DIR/tokens');

  auth
    .command('login')
    .description(
      'authorize this client id in the browser (authorization code flow) or with --device (headless server)',
    )
    .option('--scopes <a,b>', 'scopes to request (comma-separated)', list)
    .option(
      '--types <t1,t2>',
      'request the scopes these EventSub types need (see `eventsub-relay types`)',
      list,
    )
    .option(
      '--device',
      'use the Device Code flow: prints a code to enter at twitch.tv/activate, no redirect listener needed',
    )
    .addHelpText(
      'after',
      "\nWithout --scopes/--types, the scopes of the config file's subscriptions are requested.\nThe redirect listener uses TWITCH_REDIRECT_URI (default http://localhost:3000), which must be registered with your Twitch app.",
    )
    .action(async (options: { scopes?: string[]; types?: string[]; device?: boolean }) => {
      const ctx = openTwitchContext();
      const scopes = requestedScopes(options, ctx.config.configFile);
      process.stderr.write(`requesting scopes: ${scopes.join(' ') || '(none)'}\n`);
      const token = options.device
        ? await deviceLogin(ctx.credentials.clientId, scopes)
        : await loginWithCode(ctx.credentials, scopes, (url) =>
            process.stdout.write(
              `Open this URL in a browser logged in as the broadcaster:\n\n  ${url}\n\nWaiting for Twitch to redirect to ${ctx.credentials.redirectUri} …\n`,
            ),
          );
      report(await authorizeToken(ctx.credentials, ctx.tokens, token));
    });

  auth
    .command('add')
    .description(
      'store a user token obtained elsewhere (e.g. `twitch token -u`) after validating it with Twitch',
    )
    .requiredOption('--access-token <token>', 'the user access token')
    .option('--refresh-token <token>', 'its refresh token, so the relay can renew it')
    .action(async (options: { accessToken: string; refreshToken?: string }) => {
      const ctx = openTwitchContext();
      const stored = await authorizeToken(ctx.credentials, ctx.tokens, {
        accessToken: options.accessToken,
        refreshToken: options.refreshToken ?? null,
        scope: [],
        expiresIn: null, // unknown until oauth2/validate says; a refresh token renews it when it lapses
        obtainmentTimestamp: Date.now(),
      });
      report(stored);
      if (!stored.refreshToken)
        process.stderr.write('note: no refresh token stored; when it expires, add a new token\n');
    });

  auth
    .command('status')
    .description('show who is authorized, with which scopes, and when each token expires (no Twitch call)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const ctx = openTwitchContext();
      const rows = ctx.tokens.all().map(summary);
      if (options.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      if (rows.length === 0)
        return void process.stdout.write(
          'nobody is authorized yet: run `eventsub-relay auth login --types <type,…>`\n',
        );
      process.stdout.write(
        renderTable(
          ['LOGIN', 'USER ID', 'EXPIRES', 'REFRESHABLE', 'SCOPES'],
          rows.map((r) => [r.login, r.userId, r.expires, r.refreshable ? 'yes' : 'no', r.scopes.join(' ')]),
        ),
      );
    });

  auth
    .command('validate')
    .description('check every stored token with Twitch (oauth2/validate), refreshing expired ones')
    .action(async () => {
      const ctx = openTwitchContext();
      const provider = createAuthProvider(ctx.credentials, ctx.tokens);
      let failed = 0;
      for (const stored of ctx.tokens.all()) {
        try {
          const current = await provider.getAccessTokenForUser(stored.userId);
          const refreshed = await authorizeToken(ctx.credentials, ctx.tokens, current ?? stored);
          process.stdout.write(
            `ok    ${refreshed.login} (${refreshed.userId}): ${refreshed.scope.join(' ') || 'no scopes'}\n`,
          );
        } catch (error) {
          failed++;
          process.stdout.write(
            `FAIL  ${stored.login} (${stored.userId}): ${(error as Error).message}; run \`eventsub-relay auth login\` as ${stored.login}\n`,
          );
        }
      }
      if (failed > 0) process.exitCode = 1;
    });

  auth
    .command('revoke <login>')
    .description(
      'revoke a stored token at Twitch and delete it here (subscriptions that need it are then revoked by Twitch)',
    )
    .option('--yes', 'do not ask for confirmation')
    .action(async (login: string, options: { yes?: boolean }) => {
      const ctx = openTwitchContext();
      const stored = ctx.tokens.find(login);
      if (!stored)
        throw new AuthSetupError(
          `no stored authorization for "${login}"; see \`eventsub-relay auth status\``,
        );
      if (!(await confirm(`revoke the token of ${stored.login} (${stored.userId})?`, options.yes))) return;
      await revokeToken(ctx.credentials.clientId, stored.accessToken);
      ctx.tokens.remove(stored.userId);
      process.stdout.write(`revoked and deleted the token of ${stored.login} (${stored.userId})\n`);
    });
}

function requestedScopes(
  options: { scopes?: string[]; types?: string[] },
  configFile: string | undefined,
): string[] {
  if (options.scopes || options.types)
    return [...new Set([...(options.scopes ?? []), ...scopesForTypes(options.types ?? [])])];
  const desired = parseDesired(loadConfigFile(configFile).subscriptions);
  return scopesForTypes(desired.map((d) => d.type));
}

async function deviceLogin(clientId: string, scopes: string[]) {
  const code = await startDeviceFlow(clientId, scopes);
  process.stdout.write(
    `On any device, open ${code.verificationUri} and enter the code:\n\n  ${code.userCode}\n\nWaiting for you to authorize (the code expires in ${Math.round(code.expiresInSeconds / 60)} min) …\n`,
  );
  return pollDeviceToken(clientId, scopes, code);
}

function summary(token: StoredToken) {
  const expiresAt = token.expiresIn
    ? new Date(token.obtainmentTimestamp + token.expiresIn * 1000).toISOString()
    : 'unknown';
  return {
    login: token.login,
    userId: token.userId,
    scopes: token.scope,
    expires: expiresAt,
    refreshable: Boolean(token.refreshToken),
  };
}

function report(stored: StoredToken): void {
  process.stdout.write(
    `authorized ${stored.login} (user id ${stored.userId}) with scopes: ${stored.scope.join(' ') || '(none)'}\n`,
  );
}
