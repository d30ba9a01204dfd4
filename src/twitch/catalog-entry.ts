/** One condition field of an EventSub type (Twitch's `condition` object). */
export interface ConditionField {
  name: string;
  optional: boolean;
}

/**
 * Whose authorization Twitch checks when our app token creates the subscription (Twitch docs,
 * EventSub subscription types, each type's "Authorization" section):
 * - `broadcaster`: the user in `broadcaster_user_id` granted our client id the scopes;
 * - `moderator`: the user in `moderator_user_id` (the broadcaster themself or one of their moderators);
 * - `user`: the user in `user_id` (chat types: the chatting user; whispers: the recipient);
 * - `none`: nobody (public data; costs 1 unless the user authorized our client id with any scope);
 * - `app`: the app access token alone — the condition names our own client id / organization.
 */
export type AuthorizedBy = 'broadcaster' | 'moderator' | 'user' | 'none' | 'app';

/** The condition field naming the authorizing user, for the kinds that have one. */
const AUTHORIZING_FIELD: Partial<Record<AuthorizedBy, string>> = {
  broadcaster: 'broadcaster_user_id',
  moderator: 'moderator_user_id',
  user: 'user_id',
};

/**
 * One row of the subscription-type catalog: a type/version Twitch delivers over webhooks, its
 * condition fields, whose authorization Twitch checks, and the scopes that user must have granted
 * to our client id. `scopes` is "all of these groups, any one scope per group"; empty = none needed.
 */
export interface CatalogEntry {
  type: string;
  version: string;
  condition: ConditionField[];
  authorizedBy: AuthorizedBy;
  scopes: string[][];
  /** Twitch only accepts the subscription with `is_batching_enabled: true` (drop.entitlement.grant). */
  batching?: true;
  /** What else Twitch requires that the catalog cannot check locally. */
  note?: string;
}

/**
 * Condition fields whose value defaults to the broadcaster's user id: a broadcaster who authorized
 * us is their own moderator (Twitch docs, channel.follow v2) and reads their own chat.
 */
const FILLED_WITH_BROADCASTER = ['broadcaster_user_id', 'moderator_user_id', 'user_id'];

/** Condition fields that must name our own application (app-token types): TWITCH_CLIENT_ID. */
const FILLED_WITH_CLIENT_ID = ['client_id', 'extension_client_id'];

/** The condition field naming the user whose authorization (scopes) Twitch checks, if any. */
export function authorizingField(entry: CatalogEntry): string | undefined {
  return AUTHORIZING_FIELD[entry.authorizedBy];
}

/** "whose authorization" for people, e.g. `moderator (moderator_user_id)`. */
export function describeAuthorizedBy(entry: CatalogEntry): string {
  switch (entry.authorizedBy) {
    case 'broadcaster':
      return 'broadcaster (broadcaster_user_id)';
    case 'moderator':
      return 'moderator (moderator_user_id: the broadcaster or one of their moderators)';
    case 'user':
      return 'user (user_id)';
    case 'none':
      return 'nobody (no authorization needed)';
    case 'app':
      return 'app access token only (no user)';
  }
}

/**
 * Completes a condition: explicit values win; broadcaster/moderator/user ids default to the
 * broadcaster; channel.raid-style types default to `to_broadcaster_user_id` (raids on the channel);
 * `client_id` / `extension_client_id` default to our own client id.
 */
export function fillCondition(
  entry: CatalogEntry,
  broadcasterId: string | undefined,
  explicit: Record<string, string>,
  clientId?: string,
): Record<string, string> {
  const condition: Record<string, string> = { ...explicit };
  for (const field of entry.condition) {
    if (condition[field.name] !== undefined) continue;
    if (broadcasterId !== undefined && FILLED_WITH_BROADCASTER.includes(field.name))
      condition[field.name] = broadcasterId;
    if (clientId !== undefined && FILLED_WITH_CLIENT_ID.includes(field.name))
      condition[field.name] = clientId;
  }
  const names = entry.condition.map((f) => f.name);
  if (
    broadcasterId !== undefined &&
    names.includes('to_broadcaster_user_id') &&
    !condition.from_broadcaster_user_id &&
    !condition.to_broadcaster_user_id
  ) {
    condition.to_broadcaster_user_id = broadcasterId;
  }
  return condition;
}

/** Required condition fields still missing, and given fields the type does not know. */
export function conditionProblems(entry: CatalogEntry, condition: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const field of entry.condition) {
    if (!field.optional && !condition[field.name]) problems.push(`missing condition field ${field.name}`);
  }
  const known = new Set(entry.condition.map((f) => f.name));
  for (const name of Object.keys(condition)) {
    if (!known.has(name))
      problems.push(`unknown condition field ${name} (${entry.type} knows: ${[...known].join(', ')})`);
  }
  if (
    entry.condition.length > 0 &&
    entry.condition.every((f) => f.optional) &&
    Object.keys(condition).length === 0
  ) {
    problems.push(`give one of: ${entry.condition.map((f) => f.name).join(', ')}`);
  }
  return problems;
}

/** Scope groups not satisfied by `granted`, each as "a or b". */
export function missingScopes(entry: CatalogEntry, granted: readonly string[]): string[][] {
  return entry.scopes.filter((group) => !group.some((scope) => granted.includes(scope)));
}
