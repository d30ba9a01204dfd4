import { isUtf8 } from 'node:buffer';
import { MAX_JSON_DEPTH, withinJsonDepth } from './json-depth.js';

/** Why bytes cannot be one of Twitch's messages; `code` is the webhook answer's error code. */
export interface JsonTextProblem {
  code: 'invalid_json' | 'invalid_payload';
  message: string;
}

/**
 * The checks every transport makes on a message's bytes before JSON.parse (a webhook body, a
 * WebSocket frame); `what` names them in the message. Undefined when the bytes may be parsed.
 * - UTF-8 only: JSON between systems is UTF-8 (RFC 8259) and Twitch sends nothing else. Decoding
 *   other bytes would replace them with U+FFFD: the relay would store and forward text that Twitch
 *   never sent (or signed).
 * - At most MAX_JSON_DEPTH levels: V8 parses any depth, but what it parses too deep cannot be
 *   stringified again (the stores, the sinks); refused here, it is the payload's fault, not the store's.
 */
export function jsonTextProblem(bytes: Uint8Array, what: string): JsonTextProblem | undefined {
  if (!isUtf8(bytes)) {
    return {
      code: 'invalid_json',
      message: `${what} is not UTF-8 JSON text (it has bytes that are not UTF-8)`,
    };
  }
  if (!withinJsonDepth(bytes)) {
    return {
      code: 'invalid_payload',
      message: `${what} is nested deeper than ${MAX_JSON_DEPTH} levels; Twitch's messages nest far less`,
    };
  }
  return undefined;
}
