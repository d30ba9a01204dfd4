import { MAX_JSON_DEPTH } from './json-depth.js';

/** The exact source text of the top-level members a webhook body's payload is kept as. */
export interface TopLevelMembers {
  subscription: string | undefined;
  event: string | undefined;
  events: string | undefined;
}

/** What one pass over a message's text found: whether it nests too deep, and its payload members. */
export interface MessageScan {
  tooDeep: boolean;
  members: TopLevelMembers;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * One pass over a message's text (before JSON.parse) that does the work of two: the nesting bound
 * (never more than `max` objects and arrays open at once; brackets inside strings do not count) and
 * the source text of the top-level `subscription`, `event` and `events` values, so the relay stores
 * and forwards them byte for byte as Twitch signed them. The members are only meaningful for text
 * JSON.parse accepts (malformed text is left to it to refuse); a repeated key keeps its last value,
 * as JSON.parse does.
 */
export function scanMessage(json: string, max = MAX_JSON_DEPTH): MessageScan {
  const members: TopLevelMembers = { subscription: undefined, event: undefined, events: undefined };
  let depth = 0;
  /** The top-level key whose value is being read, and where that value starts (after the colon). */
  let key: string | undefined;
  let valueStart = -1;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) {
      const start = i;
      for (i++; i < json.length; i++) {
        const inner = json.charCodeAt(i);
        if (inner === BACKSLASH) i++;
        else if (inner === QUOTE) break;
      }
      if (depth === 1 && expectKey) {
        const raw = json.slice(start, i + 1);
        key = raw.includes('\\') ? decodeKey(raw) : raw.slice(1, -1);
        expectKey = false;
      }
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > max) return { tooDeep: true, members };
      if (depth === 1) expectKey = code === OPEN_BRACE;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (depth === 1 && valueStart >= 0) {
        keep(members, key, json, valueStart, i);
        valueStart = -1;
      }
      depth--;
    } else if (depth === 1) {
      if (code === COLON) valueStart = i + 1;
      else if (code === COMMA) {
        if (valueStart >= 0) keep(members, key, json, valueStart, i);
        valueStart = -1;
        expectKey = true;
      }
    }
  }
  return { tooDeep: false, members };
}

/** Stores the trimmed text between `start` and `end` when `key` is one of the payload members. */
function keep(
  members: TopLevelMembers,
  key: string | undefined,
  json: string,
  start: number,
  end: number,
): void {
  if (key !== 'subscription' && key !== 'event' && key !== 'events') return;
  members[key] = json.slice(start, end).trim();
}

function decodeKey(raw: string): string | undefined {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return undefined;
  }
}
