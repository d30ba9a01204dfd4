import { getTokenInfo, InvalidTokenError } from '@twurple/auth';
import type { StoredToken } from '../../../auth/token-store.js';
import { prepareSubscription, resolverWithTokens } from '../../../subscriptions/prepare.js';
import { websocketEntry } from '../../../transports/websocket/plan.js';
import { findings, type Check, type DoctorState, type Finding } from './check.js';
import { messageOf } from './runner.js';

/** 3 h 20 min, 2 days 4 h: how long until a time, for people. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} ${days === 1 ? 'day' : 'days'}${hours ? ` ${hours} h` : ''}`;
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

/**
 * Every stored broadcaster (or moderator) token, validated at Twitch; then every subscription of
 * the config file against the scopes its authorizing user granted (the check `subscribe` and `sync`
 * make before calling Twitch, with the same fix).
 */
export const tokensCheck: Check = {
  id: 'tokens',
  title: 'broadcaster authorization',
  hard: true,
  async run(state) {
    const f = findings(tokensCheck);
    if (!state.tokens || !state.credentials || !state.twitch) return [f.skip('needs the Twitch application')];
    const stored = state.tokens.all();
    const report: Finding[] = [];
    if (stored.length === 0) {
      report.push(
        f.warn(
          'no broadcaster has authorized this client id yet (DATA_DIR/tokens is empty)',
          'eventsub-relay auth login --types <type,…> (add --device on a headless server)',
        ),
      );
    }
    for (const token of stored) report.push(await validate(state.credentials.clientId, token, f));
    report.push(...(await scopeFindings(state)));
    return report;
  },
};

async function validate(
  clientId: string,
  token: StoredToken,
  f: ReturnType<typeof findings>,
): Promise<Finding> {
  const who = `${token.login} (${token.userId})`;
  const part = { id: token.userId, title: `token of ${who}` };
  try {
    const info = await getTokenInfo(token.accessToken, clientId);
    const expires = info.expiryDate
      ? `expires in ${formatDuration(info.expiryDate.getTime() - Date.now())}`
      : 'does not expire';
    const renew = token.refreshToken
      ? 'renewed automatically'
      : 'no refresh token: add a new one before then';
    return f.ok(`valid, ${expires} (${renew}); scopes ${info.scopes.join(' ') || '(none)'}`, undefined, part);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    if (token.refreshToken) {
      return f.warn(
        'the access token is no longer valid; it is refreshed when next needed',
        '`eventsub-relay auth validate` refreshes it now (if that fails, the user revoked it: `eventsub-relay auth login`)',
        part,
      );
    }
    return f.fail(
      'Twitch says it is invalid or expired, and there is no refresh token',
      `have ${token.login} authorize again: \`eventsub-relay auth login --scopes ${token.scope.join(',')}\``,
      part,
    );
  }
}

/** The config file's subscriptions, each prepared as `sync` would: type, condition, scopes. */
async function scopeFindings(state: DoctorState): Promise<Finding[]> {
  const f = findings({ id: 'scopes', title: 'scopes', hard: true });
  const desired = state.config?.subscriptions ?? [];
  if (desired.length === 0) return [];
  const twitch = state.twitch!;
  const context = {
    tokens: state.tokens!,
    resolveUser: resolverWithTokens(state.tokens!, () => (login) => twitch.resolveUser(login)),
    clientId: state.credentials!.clientId,
    desired,
    // Over WebSockets a chat type needs fewer scopes (as `serve` checks them there).
    ...(state.config?.env.TRANSPORT === 'websocket' && { entryFor: websocketEntry }),
  };
  state.prepared = [];
  const report: Finding[] = [];
  for (const entry of desired) {
    const what = `${entry.type}${entry.version ? ` v${entry.version}` : ''} for ${entry.broadcaster}`;
    const part = { id: `${entry.type}.${entry.broadcaster}`, title: `scopes for ${what}` };
    try {
      const prepared = await prepareSubscription({ ...entry }, context);
      state.prepared.push(prepared);
      const needed = prepared.entry.scopes.map((group) => group.join(' or ')).join(', ');
      report.push(f.ok(needed ? `granted (${needed})` : 'none needed', undefined, part));
    } catch (error) {
      const { detail, fix } = splitAdvice(messageOf(error));
      report.push(f.fail(detail, fix, part));
    }
  }
  return report;
}

/** Our errors say what is wrong, then what to do: the first sentence, and the rest. */
export function splitAdvice(message: string): { detail: string; fix: string } {
  const end = message.indexOf('. ');
  return end > 0
    ? { detail: message.slice(0, end), fix: message.slice(end + 2) }
    : { detail: message, fix: 'see `eventsub-relay types` for what each type needs' };
}
