import { findEntry } from '../../src/twitch/catalog-lookup.js';
import { sampleNotificationBody } from '../../src/twitch/samples/messages.js';
import { parseSampleOverride } from '../../src/twitch/samples/sample-overrides.js';

/**
 * A notification payload of the catalog's sample for `type` (Twitch's documented shape), with
 * `trigger --set` style changes: sample('channel.cheer', 'user=Foo', 'amount=500').
 */
export function sample(
  type: string,
  ...changes: string[]
): { subscription: unknown; event: Record<string, unknown> } {
  return sampleNotificationBody(findEntry(type), { overrides: changes.map(parseSampleOverride) }) as {
    subscription: unknown;
    event: Record<string, unknown>;
  };
}
