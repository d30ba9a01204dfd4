import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { notificationBodySchema, revocationBodySchema } from '../../src/twitch/message-schemas.js';
import { isNotificationShape, isRevocationShape } from '../../src/twitch/message-shape.js';
import { budget, runProperty, testTimeout } from './fuzz-budget.js';

const FIXTURES = '/work/shared/fixtures/twitch';

/** Values of every JSON kind, the ones the schemas refuse included (empty strings, arrays, null). */
const anyJson = fc.oneof(
  fc.constantFrom('', 'x', 0, 1.5, true, false, null, [], {}, ['a'], { a: 1 }),
  fc.string({ maxLength: 3 }),
);
/** A subscription whose every field may be missing, of the wrong kind, or right. */
const subscription = fc.record(
  {
    id: fc.oneof(anyJson, fc.constant('sub-1')),
    type: fc.oneof(anyJson, fc.constant('channel.follow')),
    version: fc.oneof(anyJson, fc.constant('2')),
    status: fc.oneof(anyJson, fc.constant('enabled')),
    condition: fc.oneof(anyJson, fc.constant({ broadcaster_user_id: '1' })),
    transport: anyJson,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  anyJson,
  fc.record(
    { subscription: fc.oneof(anyJson, subscription), event: fc.oneof(anyJson, fc.constant({ a: 1 })) },
    { requiredKeys: [] },
  ),
);

/** Through JSON text, as the receiver sees it (JSON.parse's objects). */
const viaJson = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as unknown;

describe('the hand-written message shapes accept exactly what the zod schemas accept', () => {
  it('for every documented Twitch payload', () => {
    const files = readdirSync(FIXTURES).filter((file) => /^(notification|revocation)\..*\.json$/.test(file));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const parsed = JSON.parse(readFileSync(`${FIXTURES}/${file}`, 'utf8')) as { body?: unknown };
      const payload: unknown = parsed.body ?? parsed;
      expect([file, isNotificationShape(payload)]).toEqual([
        file,
        notificationBodySchema.safeParse(payload).success,
      ]);
      expect([file, isRevocationShape(payload)]).toEqual([
        file,
        revocationBodySchema.safeParse(payload).success,
      ]);
    }
  });

  it(
    'for bodies with every field missing, of another kind, or right',
    async () => {
      const property = fc.property(body.map(viaJson), (payload) => {
        expect(isNotificationShape(payload)).toBe(notificationBodySchema.safeParse(payload).success);
        expect(isRevocationShape(payload)).toBe(revocationBodySchema.safeParse(payload).success);
      });
      await runProperty('message shapes against the schemas', property, budget(3000, 0.03));
    },
    testTimeout(0.03),
  );
});
