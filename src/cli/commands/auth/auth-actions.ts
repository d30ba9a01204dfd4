import { revokeToken } from '@twurple/auth';
import { authorizeToken } from '../../../auth/authorize-token.js';
import { loginWithCode } from '../../../auth/code-flow.js';
import { pollDeviceToken, startDeviceFlow } from '../../../auth/device-flow.js';
import { AuthSetupError } from '../../../auth/auth-errors.js';
import { createAuthProvider } from '../../../auth/auth-provider.js';
import { scopesForTypes } from '../../../twitch/catalog-lookup.js';
import { openTokenStore, openTwitchContext } from '../../twitch-context.js';
import { confirm } from '../../confirm.js';
import { renderTable } from '../../table.js';
import { expiryCell, reportAuthorized, summarize } from './auth-output.js';
import type { RelayConfig } from '../../../config/relay-config.js';

/** What the `auth …` commands do (auth.ts defines them; this module is loaded when one runs). */

/** `auth login` */
export async function login(options: {
  scopes?: string[];
  types?: string[];
  device?: boolean;
}): Promise<void> {
  const ctx = openTwitchContext();
  const scopes = requestedScopes(options, ctx.config);
  process.stderr.write(`requesting scopes: ${scopes.join(' ') || '(none)'}\n`);
  const token = options.device
    ? await deviceLogin(ctx.credentials.clientId, scopes)
    : await loginWithCode(ctx.credentials, scopes, (url) =>
        process.stdout.write(
          `Open this URL in a browser logged in as the broadcaster:\n\n  ${url}\n\nWaiting for Twitch to redirect to ${ctx.credentials.redirectUri} …\n`,
        ),
      );
  reportAuthorized(await authorizeToken(ctx.credentials, ctx.tokens, token));
}

/** `auth add` */
export async function add(options: { accessToken: string; refreshToken?: string }): Promise<void> {
  const ctx = openTwitchContext();
  const result = await authorizeToken(ctx.credentials, ctx.tokens, {
    accessToken: options.accessToken,
    refreshToken: options.refreshToken ?? null,
    scope: [],
    expiresIn: null, // oauth2/validate says when it expires; authorizeToken stores that
    obtainmentTimestamp: Date.now(),
  });
  reportAuthorized(result);
  if (!result.stored.refreshToken)
    process.stderr.write('note: no refresh token stored; when it expires, add a new token\n');
}

/** `auth status` */
export function status(options: { json?: boolean }): void {
  const rows = openTokenStore()
    .all()
    .map((token) => summarize(token));
  if (options.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  if (rows.length === 0)
    return void process.stdout.write(
      'nobody is authorized yet: run `eventsub-relay auth login --types <type,…>`\n',
    );
  process.stdout.write(
    renderTable(
      ['LOGIN', 'USER ID', 'EXPIRES', 'REFRESHABLE', 'SCOPES'],
      rows.map((r) => [r.login, r.userId, expiryCell(r), r.refreshable ? 'yes' : 'no', r.scopes.join(' ')]),
    ),
  );
}

/** `auth validate` */
export async function validate(): Promise<void> {
  const ctx = openTwitchContext();
  const provider = createAuthProvider(ctx.credentials, ctx.tokens);
  let failed = 0;
  for (const stored of ctx.tokens.all()) {
    try {
      const current = await provider.getAccessTokenForUser(stored.userId);
      const { stored: refreshed } = await authorizeToken(ctx.credentials, ctx.tokens, current ?? stored);
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
}

/** `auth revoke <login>` */
export async function revoke(login: string, options: { yes?: boolean }): Promise<void> {
  const ctx = openTwitchContext();
  const stored = ctx.tokens.find(login);
  if (!stored)
    throw new AuthSetupError(`no stored authorization for "${login}"; see \`eventsub-relay auth status\``);
  if (!(await confirm(`revoke the token of ${stored.login} (${stored.userId})?`, options.yes))) return;
  await revokeToken(ctx.credentials.clientId, stored.accessToken);
  ctx.tokens.remove(stored.userId);
  process.stdout.write(`revoked and deleted the token of ${stored.login} (${stored.userId})\n`);
}

/** The scopes to request: from --scopes/--types, else the config file's subscriptions — never silently none. */
function requestedScopes(options: { scopes?: string[]; types?: string[] }, config: RelayConfig): string[] {
  if (options.scopes || options.types)
    return [...new Set([...(options.scopes ?? []), ...scopesForTypes(options.types ?? [])])];
  const { file } = config;
  const desired = file.subscriptions;
  if (desired.length === 0) {
    throw new AuthSetupError(
      `say what to authorize: pass --types channel.follow,stream.online (the scopes those types need, see ` +
        '`eventsub-relay types`) or --scopes a,b' +
        (file.path
          ? `; ${file.path} lists no subscriptions to take them from`
          : ", or list the subscriptions in a config file (CONFIG_FILE, default ./eventsub-relay.yml) and their types' scopes are requested"),
    );
  }
  return scopesForTypes(desired.map((d) => d.type));
}

async function deviceLogin(clientId: string, scopes: string[]) {
  const code = await startDeviceFlow(clientId, scopes);
  process.stdout.write(
    `On any device, open ${code.verificationUri} and enter the code:\n\n  ${code.userCode}\n\nWaiting for you to authorize (the code expires in ${Math.round(code.expiresInSeconds / 60)} min) …\n`,
  );
  return pollDeviceToken(clientId, scopes, code);
}
