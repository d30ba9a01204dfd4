/**
 * The exact source text of a JSON object's top-level member values, so the relay can store and
 * forward `subscription` and `event` byte for byte as Twitch signed them (a re-serialised object can
 * differ: key order, number formatting, `__proto__` keys that a copy turns into a prototype).
 * Only called on text that JSON.parse has accepted, so it scans without validating.
 */
export function rawTopLevelMembers(json: string, wanted: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  let i = skipSpace(json, 0);
  if (json.charCodeAt(i) !== OPEN_BRACE) return found;
  i = skipSpace(json, i + 1);
  while (i < json.length && json.charCodeAt(i) === QUOTE) {
    const keyEnd = skipString(json, i);
    const rawKey = json.slice(i, keyEnd);
    const key = rawKey.includes('\\') ? (JSON.parse(rawKey) as string) : rawKey.slice(1, -1);
    i = skipSpace(json, keyEnd);
    i = skipSpace(json, i + 1); // the colon
    const valueEnd = skipValue(json, i);
    // A repeated key: JSON.parse keeps the last one, and so does this.
    if (wanted.includes(key)) found.set(key, json.slice(i, valueEnd));
    i = skipSpace(json, valueEnd);
    if (json.charCodeAt(i) !== COMMA) break;
    i = skipSpace(json, i + 1);
  }
  return found;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function skipSpace(json: string, i: number): number {
  let code = json.charCodeAt(i);
  while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) code = json.charCodeAt(++i);
  return i;
}

/** From an opening quote to just past its closing quote. */
function skipString(json: string, i: number): number {
  for (i++; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i + 1;
  }
  return i;
}

/** From a value's first character to just past its last. */
function skipValue(json: string, i: number): number {
  const first = json.charCodeAt(i);
  if (first === QUOTE) return skipString(json, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // true, false, null or a number: ends at the next delimiter.
    while (i < json.length) {
      const code = json.charCodeAt(i);
      if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || code <= 0x20) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  for (; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) i = skipString(json, i) - 1;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1;
    }
  }
  return i;
}
