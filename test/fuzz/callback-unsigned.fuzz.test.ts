import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { anyBody, asRequest, delivery, headerList, signed, twitchMessage } from './arbitraries.js';
import { AnswerTally, budget, runProperty, testTimeout } from './fuzz-budget.js';
import { startFuzzRelay, type FuzzRelay } from './fuzz-relay.js';
import { answerJson, sendRaw } from './raw-http.js';

let relay: FuzzRelay;
beforeAll(async () => {
  relay = await startFuzzRelay();
});
afterAll(async () => relay.close());

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE') },
);
const path = fc.oneof(
  { weight: 6, arbitrary: fc.constant('/callback') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/callback?x=1',
      '/callback/',
      '//callback',
      '/CALLBACK',
      '/callback%00',
      '/%',
      '/healthz',
      '/readyz',
      '/metrics',
      '/stream',
      '/' + 'a'.repeat(3000),
    ),
  },
);

describe('whatever an unsigned client sends, the relay answers below 500, stores nothing and keeps running', () => {
  it(
    'random methods, paths, headers (Twitch names included), bodies, framings and TCP cuts',
    async () => {
      const tally = new AnswerTally();
      const property = fc.asyncProperty(
        method,
        path,
        headerList,
        anyBody,
        delivery,
        async (verb, target, headers, body, how) => {
          const before = await relay.store.countEvents();
          const answer = await sendRaw(relay.port, { method: verb, path: target, headers, body, ...how });
          tally.add(`${answer.status} ${answerJson(answer)?.error ?? ''}`.trim());
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect(answer.status).toBeLessThan(500);
          // A rejection is short JSON saying what went wrong (HEAD answers carry no body).
          if (answer.status >= 400 && verb !== 'HEAD') {
            expect(answerJson(answer)).toEqual({ error: expect.any(String), message: expect.any(String) });
          }
          expect(await relay.store.countEvents()).toBe(before);
          relay.expectAlive();
        },
      );
      await runProperty('unsigned requests', property, budget(3000, 0.25));
      tally.print('unsigned requests');
      relay.expectNoErrorLogged();
      // The inputs reached every check before the signature's, and the signature check itself.
      expect(tally.kinds()).toEqual(
        expect.arrayContaining([
          '400 bad_request',
          '400 missing_header',
          '400 malformed_header',
          '403 invalid_signature',
        ]),
      );
    },
    testTimeout(0.25),
  );

  it('afterwards the process is alive, logged no error, and still stores a real event', async () => {
    relay.expectAlive();
    const [message] = fc.sample(twitchMessage, 1).map((m) => signed(m.messageType, m.payload));
    const answer = await sendRaw(
      relay.port,
      asRequest(message!, { framing: 'content-length', chunkSizes: [], splits: [] }),
    );
    expect(answer.status).toBe(204);
    expect(await relay.store.getEvent(message!.messageId)).not.toBeNull();
    relay.expectNoErrorLogged();
  });
});
