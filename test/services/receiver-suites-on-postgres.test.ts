/**
 * "One suite, two stores": the receiver and delivery suites of `npm test` (SQLite), run again here
 * with every relay on its own fresh PostgreSQL database — in-process ones (see startTestRelay) and
 * real processes, whose restarts and `events` CLI runs share their DATA_DIR's database (see
 * test/support/process-store.ts).
 */
process.env.RELAY_TEST_STORE = 'postgres';
await import('../integration/callback.test.js');
await import('../integration/protocol-errors.test.js');
await import('../integration/rejection-logs.test.js');
await import('../integration/nesting-depth.test.js');
await import('../integration/body-encoding.test.js');
await import('../integration/delivery.test.js');
await import('../integration/delivery-sinks.test.js');
await import('../integration/delivery-schedule.test.js');
await import('../integration/serve-process.test.js');
await import('../integration/delivery-process.test.js');
await import('../integration/events-replay-sinks.test.js');
await import('../integration/consumer-rejects.test.js');
await import('../integration/metrics.test.js');
await import('../integration/doctor-basics.test.js');

const { afterAll, describe, expect, it } = await import('@jest/globals');
const { PostgresStore } = await import('../../src/store/postgres/postgres-store.js');
const { startTestRelay } = await import('../support/in-process-relay.js');
const { dropProcessDatabases, openStoreFor } = await import('../support/process-store.js');
const { postSigned } = await import('../support/sign.js');
const { startRelayProcess } = await import('../support/relay-process.js');
const { tempDir } = await import('../support/temp-dir.js');

afterAll(dropProcessDatabases);

describe('the imported suites really run on PostgreSQL', () => {
  it('startTestRelay opens a PostgresStore on a fresh database', async () => {
    const relay = await startTestRelay();
    try {
      expect(relay.store).toBeInstanceOf(PostgresStore);
      expect(relay.config.store.url).toMatch(
        /^postgres:\/\/postgres@127\.0\.0\.1:5432\/relay_test_[0-9a-f]{12}$/,
      );
      expect(await relay.store.countEvents()).toBe(0);
    } finally {
      await relay.close();
    }
  });

  it('a relay process stores in its DATA_DIR’s own database, which a restart finds again', async () => {
    const dir = tempDir();
    try {
      const secret = 'suites-on-postgres-secret';
      const first = await startRelayProcess({ DATA_DIR: dir.path, EVENTSUB_SECRET: secret });
      const { messageId } = await postSigned(first.url, secret);
      first.child.kill('SIGTERM');
      await first.exited;
      expect(first.output()).toMatch(/relay_test_[0-9a-f]{12}/); // the store it logged at start
      const store = await openStoreFor(dir.path);
      expect(store).toBeInstanceOf(PostgresStore);
      expect((await store.getEvent(messageId))?.envelope.id).toBe(messageId);
      await store.close();
    } finally {
      dir.cleanup();
    }
  });
});
