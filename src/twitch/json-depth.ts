/**
 * The deepest nesting of objects and arrays a message may have (a /callback body, a WebSocket
 * frame). Twitch's payloads nest about
 * six levels (a chat message's fragments); 64 leaves ample room for new fields while every later
 * step stays safe: JSON.stringify, the stores and consumers' parsers (serde_json stops at 128,
 * Python at ~1000) all handle 64, and a body nested 100,000 deep — which V8 parses, but cannot
 * stringify again — is refused as the payload it is instead of failing the store.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * True when `bytes` (UTF-8 JSON text, well formed or not) never has more than `max` objects and
 * arrays open at once. Run before JSON.parse: a body with at most `max` opening brackets in all is
 * accepted after a native search for them; any other is scanned once, byte by byte, where brackets
 * inside strings do not count (a backslash escapes the next byte; multi-byte UTF-8 sequences never
 * contain these ASCII bytes). Malformed text is left to JSON.parse to refuse.
 */
export function withinJsonDepth(bytes: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  // The common case, at the cost of a native byte search: no more opening brackets in the whole
  // body (strings included) than the bound allows, so none can be nested deeper.
  if (countUpTo(bytes, OPEN_BRACE, max) + countUpTo(bytes, OPEN_BRACKET, max) <= max) return true;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return false;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return true;
}

/** How many times `byte` occurs in `bytes`, counting no further than `limit + 1`. */
function countUpTo(bytes: Uint8Array, byte: number, limit: number): number {
  let count = 0;
  for (let at = bytes.indexOf(byte); at !== -1 && count <= limit; at = bytes.indexOf(byte, at + 1)) count++;
  return count;
}
