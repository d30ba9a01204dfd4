import type { Envelope } from '../twitch/envelope.js';
import { compileFilter, type SinkFilter } from '../twitch/event-filter.js';

/** Decides, once per stored event, which sinks get a delivery (recorded in the same transaction). */
export function createRouter(sinks: readonly { name: string; filter: SinkFilter }[]) {
  const compiled = sinks.map((sink) => ({ name: sink.name, admits: compileFilter(sink.filter) }));
  return (envelope: Envelope): string[] =>
    compiled.filter((sink) => sink.admits(envelope)).map((sink) => sink.name);
}
