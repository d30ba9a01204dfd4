import { AuthSetupError } from '../auth/auth-errors.js';
import { authorizingField, describeAuthorizedBy, missingScopes } from '../twitch/catalog-entry.js';
import { loginCommand, scopesToRequest, type LoginAdviceContext } from './login-advice.js';
import type { PreparedSubscription } from './prepare.js';
import { describeScopes } from './scope-check.js';

/**
 * Twitch's 403 on create, explained with what only we know: the type, the scopes the catalog
 * says it needs, whose authorization that is (user id and login from the condition), and the
 * exact `auth login` command that fixes it (keeping every scope already granted).
 */
export function explainForbidden(
  prepared: PreparedSubscription,
  detail: string,
  advice: LoginAdviceContext,
): AuthSetupError {
  const { entry, wanted, broadcaster } = prepared;
  const refused = `Twitch refused to create ${entry.type} v${entry.version} ${JSON.stringify(wanted.condition)} (403 "${detail}")`;
  const field = authorizingField(entry);
  const userId = field ? wanted.condition[field] : undefined;
  if (!field || !userId) {
    const why =
      entry.authorizedBy === 'app'
        ? `this type is authorized by our app access token alone${entry.note ? ` (${entry.note})` : ''}: check that the condition names your own application (TWITCH_CLIENT_ID) and that it may receive these events`
        : "this type needs no user's authorization, so Twitch's message is the only hint; check it and `eventsub-relay list`";
    return new AuthSetupError(`${refused}: ${why}.`);
  }
  const stored = advice.tokens.get(userId);
  const login = stored?.login ?? (broadcaster?.id === userId ? broadcaster.login : undefined);
  const who = login ? `${login} (user id ${userId})` : `user id ${userId}`;
  const fix = loginCommand(scopesToRequest({ id: userId, ...(login && { login }) }, entry.scopes, advice));
  const local = !stored
    ? `No authorization of ${who} is stored here.`
    : missingScopes(entry, stored.scope).length === 0
      ? `Our stored token of ${login} lists those scopes, so Twitch no longer counts that grant: ${login} may have ` +
        'disconnected the application (twitch.tv → Settings → Connections), changed their password, or authorized another client id.'
      : `Our stored token of ${login} lacks ${describeScopes(missingScopes(entry, stored.scope))}.`;
  return new AuthSetupError(
    `${refused}: it is authorized by the ${describeAuthorizedBy(entry)}, here ${who} in ${field}, who must have ` +
      `granted this client id ${describeScopes(entry.scopes)}. ${local} Fix: log in as ${login ?? `user ${userId}`} ` +
      `and run \`${fix}\` (add --device on a headless server), then try again.`,
  );
}
