import type { EventLog } from '../../src/store/store.js';
import type { Envelope } from '../../src/twitch/envelope.js';

/** Stores the envelope with one pending, unclaimed delivery per sink; resolves 'stored' or 'duplicate'. */
export async function insertIfNew(
  store: EventLog,
  envelope: Envelope,
  sinks: readonly string[],
): Promise<'stored' | 'duplicate'> {
  return (
    await store.insertEvent(
      envelope,
      sinks.map((sink) => ({ sink })),
    )
  ).outcome;
}
