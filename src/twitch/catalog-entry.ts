/** One condition field of an EventSub type (Twitch's `condition` object). */
export interface ConditionField {
  name: string;
  optional: boolean;
}

/**
 * One row of the subscription-type catalog: a type/version Twitch delivers over webhooks, its
 * condition fields and the scopes the authorizing user must have granted to our client id.
 * `scopes` is "all of these groups, any one scope per group"; empty = no authorization needed.
 */
export interface CatalogEntry {
  type: string;
  version: string;
  condition: ConditionField[];
  scopes: string[][];
}

/**
 * Condition fields whose value defaults to the broadcaster's user id: a broadcaster who authorized
 * us is their own moderator (Twitch docs, channel.follow v2) and reads their own chat.
 */
const FILLED_WITH_BROADCASTER = ['broadcaster_user_id', 'moderator_user_id', 'user_id'];

/** The condition field naming the user whose authorization (scopes) Twitch checks. */
export function authorizingField(entry: CatalogEntry): string | undefined {
  const names = entry.condition.map((f) => f.name);
  return ['moderator_user_id', 'user_id', 'broadcaster_user_id'].find((n) => names.includes(n));
}

/**
 * Completes a condition: explicit values win; broadcaster/moderator/user ids default to the
 * broadcaster; channel.raid-style types default to `to_broadcaster_user_id` (raids on the channel).
 */
export function fillCondition(
  entry: CatalogEntry,
  broadcasterId: string | undefined,
  explicit: Record<string, string>,
): Record<string, string> {
  const condition: Record<string, string> = { ...explicit };
  if (broadcasterId === undefined) return condition;
  for (const field of entry.condition) {
    if (condition[field.name] !== undefined) continue;
    if (FILLED_WITH_BROADCASTER.includes(field.name)) condition[field.name] = broadcasterId;
  }
  const names = entry.condition.map((f) => f.name);
  if (
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
