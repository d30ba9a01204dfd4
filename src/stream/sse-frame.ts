import type { SequencedEvent } from '../store/store.js';
import { envelopeToJson } from '../twitch/envelope-json.js';

/**
 * One event as Server-Sent Events text: `id:` its store-wide seq (what a client resumes from),
 * `event:` the subscription type, `data:` the envelope JSON the HTTP sink posts. A line break in the
 * stored text (only ever JSON whitespace) starts another `data:` line, which the client joins with
 * `\n`, so the JSON it parses is the same.
 */
export function sseFrame(event: SequencedEvent): string {
  const data = envelopeToJson(event.envelope)
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `id: ${event.seq}\nevent: ${event.envelope.type}\n${data}\n`;
}
