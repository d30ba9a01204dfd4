/**
 * "One suite, two stores": the in-process receiver and delivery suites of `npm test` (SQLite), run
 * again here with every relay on its own fresh PostgreSQL database (see startTestRelay).
 */
process.env.RELAY_TEST_STORE = 'postgres';
await import('../integration/callback.test.js');
await import('../integration/delivery.test.js');
await import('../integration/delivery-sinks.test.js');
await import('../integration/delivery-schedule.test.js');

const { describe, expect, it } = await import('@jest/globals');
const { PostgresStore } = await import('../../src/store/postgres/postgres-store.js');
const { startTestRelay } = await import('../support/in-process-relay.js');

describe('the imported suites really run on PostgreSQL', () => {
  it('startTestRelay opens a PostgresStore on a fresh database', async () => {
    const relay = await startTestRelay();
    try {
      expect(relay.store).toBeInstanceOf(PostgresStore);
      expect(relay.config.storeUrl).toMatch(
        /^postgres:\/\/postgres@127\.0\.0\.1:5432\/relay_test_[0-9a-f]{12}$/,
      );
      expect(await relay.store.countEvents()).toBe(0);
    } finally {
      await relay.close();
    }
  });
});
