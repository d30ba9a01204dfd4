import { z } from 'zod';
import type { Envelope } from './envelope.js';
import { typePatternProblem } from './event-types.js';
import { globToRegExp } from './glob.js';

/** Which envelopes a sink wants; every field is optional and an absent field admits everything. */
export interface SinkFilter {
  /** Event types, `*` globs allowed: `channel.*`, `stream.online`. */
  types?: readonly string[];
  messageTypes?: readonly ('notification' | 'revocation')[];
  /** Broadcaster user ids (from the subscription condition). */
  broadcasters?: readonly string[];
}

/** A `filter:` mapping, as sinks and live streams write it in the config file. */
export const sinkFilterSchema = z
  .strictObject({
    // Each a type or glob Twitch sends: a misspelled one would silently match nothing.
    types: z
      .array(
        z.string().superRefine((pattern, ctx) => {
          const problem = typePatternProblem(pattern);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      )
      .optional(),
    messageTypes: z.array(z.enum(['notification', 'revocation'])).optional(),
    broadcasters: z.array(z.coerce.string()).optional(),
  })
  .default({});

const BROADCASTER_FIELDS = [
  'broadcaster_user_id',
  'to_broadcaster_user_id',
  'from_broadcaster_user_id',
  'user_id',
];

/** The broadcaster a subscription is about, from its condition. */
export function broadcasterOf(envelope: Envelope): string | undefined {
  const condition = envelope.subscription.condition ?? {};
  for (const field of BROADCASTER_FIELDS) {
    const value = condition[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Compiles a filter once into a predicate used on every event. */
export function compileFilter(filter: SinkFilter = {}): (envelope: Envelope) => boolean {
  const types = filter.types?.map(globToRegExp);
  const messageTypes = filter.messageTypes && new Set(filter.messageTypes);
  const broadcasters = filter.broadcasters && new Set(filter.broadcasters);
  return (envelope) => {
    if (messageTypes && !messageTypes.has(envelope.messageType)) return false;
    if (types && !types.some((pattern) => pattern.test(envelope.type))) return false;
    if (broadcasters) {
      const broadcaster = broadcasterOf(envelope);
      if (broadcaster === undefined || !broadcasters.has(broadcaster)) return false;
    }
    return true;
  };
}
