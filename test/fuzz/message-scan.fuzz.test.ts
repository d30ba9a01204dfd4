import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, withinJsonDepth } from '../../src/twitch/json-depth.js';
import { scanMessage } from '../../src/twitch/message-scan.js';
import { rawTopLevelMembers } from '../../src/twitch/raw-members.js';
import { budget, runProperty, testTimeout } from './fuzz-budget.js';

/** Strings full of brackets, quotes, colons, commas and backslashes: what a naive scan gets wrong. */
const trickyText = fc.stringMatching(/^[[\]{}"\\:, a-z]{0,12}$/);
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    trickyText,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(true, false, null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(trickyText, tie('value'), { maxKeys: 3 }),
  ),
})).value;
/** A top-level object with (sometimes repeated, sometimes escaped) payload keys, spaced out at random. */
const key = fc.constantFrom('subscription', 'event', 'events', 'other', 'even\\u0074', '"', 'sub');
const space = fc.constantFrom('', ' ', '\n\t ', '\r\n');
const message = fc
  .array(fc.tuple(key, value, space, space), { maxLength: 6 })
  .map(
    (members) =>
      `{${members
        .map(
          ([name, inner, before, after]) =>
            `${before}"${name.replace('"', '\\"')}"${after}:${before}${JSON.stringify(inner)}${after}`,
        )
        .join(',')}}`,
  );
const nested = fc.array(fc.constantFrom('[', '{"k":'), { maxLength: 2 * MAX_JSON_DEPTH }).chain((opens) =>
  message.map(
    (inner) =>
      opens.join('') +
      inner +
      [...opens]
        .reverse()
        .map((open) => (open === '[' ? ']' : '}'))
        .join(''),
  ),
);

describe('the one-pass message scan agrees with the two scans it replaces', () => {
  it(
    'for any JSON text: the same nesting verdict as withinJsonDepth, the same members as rawTopLevelMembers',
    async () => {
      const property = fc.property(fc.oneof(message, nested), (text) => {
        JSON.parse(text); // the generator only makes valid JSON
        const scan = scanMessage(text);
        expect(scan.tooDeep).toBe(!withinJsonDepth(Buffer.from(text)));
        if (scan.tooDeep) return;
        const members = rawTopLevelMembers(text, ['subscription', 'event', 'events']);
        expect(scan.members.subscription).toBe(members.get('subscription'));
        expect(scan.members.event).toBe(members.get('event'));
        expect(scan.members.events).toBe(members.get('events'));
      });
      await runProperty('message scan on JSON text', property, budget(3000, 0.05));
    },
    testTimeout(0.05),
  );

  it(
    'for any bytes at all: never throws, and the nesting verdict agrees with withinJsonDepth',
    async () => {
      const property = fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const text = Buffer.from(bytes).toString('utf8');
        expect(scanMessage(text).tooDeep).toBe(!withinJsonDepth(Buffer.from(text)));
      });
      await runProperty('message scan on any bytes', property, budget(2000, 0.02));
    },
    testTimeout(0.02),
  );
});
