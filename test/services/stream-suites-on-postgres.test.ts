/**
 * The live-stream suites of `npm test` (SQLite) again with every in-process relay on its own fresh
 * PostgreSQL database (see startTestRelay): there seqs are handed out before commit, so the 1,000-
 * event resume also checks that the hub waits for a seq still in flight rather than skipping it.
 */
process.env.RELAY_TEST_STORE = 'postgres';
await import('../integration/stream-auth.test.js');
await import('../integration/stream-resume.test.js');
