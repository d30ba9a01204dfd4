import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, withinJsonDepth } from '../../src/twitch/json-depth.js';
import { budget, runProperty, testTimeout } from './fuzz-budget.js';

/** The nesting depth of a parsed JSON value, the slow and obvious way. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object')
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

/** Strings full of brackets, quotes and backslashes: what a naive bracket count gets wrong. */
const bracketText = fc.stringMatching(/^[[\]{}"\\a-z]{0,12}$/);
const tricky = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    bracketText,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(bracketText, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** `levels` arrays or objects (at random) around a tricky value, as JSON text: up to twice the bound. */
const nestedText = fc.array(fc.constantFrom('[', '{"k":'), { maxLength: 2 * MAX_JSON_DEPTH }).chain((opens) =>
  tricky.map(
    (inner) =>
      opens.join('') +
      JSON.stringify(inner) +
      [...opens]
        .reverse()
        .map((open) => (open === '[' ? ']' : '}'))
        .join(''),
  ),
);

describe('the depth scan before JSON.parse agrees with the depth of what JSON.parse returns', () => {
  it(
    'for any JSON text: within the bound exactly when its parsed value is',
    async () => {
      const property = fc.property(nestedText, (text) => {
        const depth = depthOf(JSON.parse(text));
        const bytes = Buffer.from(text);
        expect(withinJsonDepth(bytes)).toBe(depth <= MAX_JSON_DEPTH);
        expect(withinJsonDepth(bytes, depth)).toBe(true);
        if (depth > 0) expect(withinJsonDepth(bytes, depth - 1)).toBe(false);
      });
      await runProperty('json depth scan on JSON text', property, budget(3000, 0.05));
    },
    testTimeout(0.05),
  );

  it(
    'for any bytes at all: never throws, and agrees with JSON.parse whenever the bytes parse',
    async () => {
      const property = fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
        const within = withinJsonDepth(bytes);
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
        } catch {
          return;
        }
        expect(within).toBe(depthOf(parsed) <= MAX_JSON_DEPTH);
      });
      await runProperty('json depth scan on any bytes', property, budget(2000, 0.02));
    },
    testTimeout(0.02),
  );
});
