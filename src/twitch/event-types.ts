import { CATALOG } from './catalog.js';
import { editDistance } from './catalog-lookup.js';
import { globToRegExp } from './glob.js';

/** Every EventSub type Twitch sends, once each. */
const TYPES: readonly string[] = [...new Set(CATALOG.map((entry) => entry.type))];
/** The dot-separated words types are made of (`channel`, `chat`, `follow`), for correcting a glob. */
const WORDS: readonly string[] = [...new Set(TYPES.flatMap((type) => type.split('.')))];

const LIST_THEM = '(`eventsub-relay types` lists them)';

/** The known word a mistyped one most likely meant: at most two letters off, and not half the word. */
function didYouMean(typed: string, known: readonly string[]): string | undefined {
  return known
    .map((word) => ({ word, distance: editDistance(typed, word) }))
    .filter(({ word, distance }) => distance <= 2 && distance < word.length / 2)
    .sort((a, b) => a.distance - b.distance)[0]?.word;
}

/**
 * Why `type` is not an EventSub type Twitch sends, or undefined when it is. A mistyped type would
 * otherwise be accepted and simply never match: the overlay never shows a follow, silently.
 */
export function eventTypeProblem(type: string): string | undefined {
  if (TYPES.includes(type)) return undefined;
  // `channel.chat` names a family, not a type: the glob is what was meant.
  const family = TYPES.some((known) => known.startsWith(`${type}.`)) ? `${type}.*` : undefined;
  const meant = family ?? didYouMean(type, TYPES);
  return `unknown EventSub type "${type}"${meant ? `; did you mean "${meant}"?` : ''} ${LIST_THEM}`;
}

/**
 * Why `pattern` (a type, or a glob with `*` as in filters: `channel.*`, `*.online`) matches no
 * EventSub type, or undefined when it matches at least one. The suggestion corrects each word.
 */
export function typePatternProblem(pattern: string): string | undefined {
  if (!pattern.includes('*')) return eventTypeProblem(pattern);
  if (matchesAType(pattern)) return undefined;
  const corrected = pattern
    .split('.')
    .map((word) => (word.includes('*') || WORDS.includes(word) ? word : (didYouMean(word, WORDS) ?? word)))
    .join('.');
  const meant = corrected !== pattern && matchesAType(corrected) ? corrected : undefined;
  return `"${pattern}" matches no EventSub type${meant ? `; did you mean "${meant}"?` : ''} ${LIST_THEM}`;
}

function matchesAType(glob: string): boolean {
  const regExp = globToRegExp(glob);
  return TYPES.some((type) => regExp.test(type));
}

/** Why `version` is not one of `type`'s versions, or undefined when it is (or the type is unknown). */
export function eventVersionProblem(type: string, version: string): string | undefined {
  const versions = CATALOG.filter((entry) => entry.type === type).map((entry) => entry.version);
  if (versions.length === 0 || versions.includes(version)) return undefined;
  return (
    `${type} has no version "${version}": ${type} has version${versions.length > 1 ? 's' : ''} ` +
    `${versions.join(', ')} (leave version out for the newest)`
  );
}
