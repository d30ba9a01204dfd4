import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { createTempDatabase, type TempDatabase } from '../support/pg-database.js';
import { runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { fixture, followNotification, signedRequest, type SignedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'postgres-receiver-secret';
const cleanups: (() => unknown)[] = [];
let db: TempDatabase;
let store: PostgresStore;

beforeEach(async () => {
  db = await createTempDatabase();
  cleanups.push(() => db.drop());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `eventsub-relay serve` as a real process, storing in this test's own PostgreSQL database. */
async function relay(env: Record<string, string> = {}): Promise<RelayProcess> {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const started = await startRelayProcess({
    EVENTSUB_SECRET: SECRET,
    DATA_DIR: dir.path,
    STORE_URL: db.url,
    ...env,
  });
  cleanups.push(async () => {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM');
    await started.exited;
  });
  return started;
}

/** A second connection to the same database, to look at what the relay stored. */
async function inspect(): Promise<PostgresStore> {
  store = await PostgresStore.open(db.url);
  cleanups.push(() => store.close());
  return store;
}

function post(target: RelayProcess, signed: Pick<SignedRequest, 'headers' | 'body'>) {
  return fetch(`${target.url}/callback`, { method: 'POST', headers: signed.headers, body: signed.body });
}

describe('the receiver on PostgreSQL (STORE_URL=postgres://…)', () => {
  it('answers the challenge, stores a notification once, answers its re-send without storing', async () => {
    const target = await relay();
    const store = await inspect();
    const challenge = fixture('challenge.json') as { challenge: string };
    const answer = await post(
      target,
      signedRequest(SECRET, challenge, { messageType: 'webhook_callback_verification' }),
    );
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(challenge.challenge);
    expect(await store.countEvents()).toBe(0);

    const payload = followNotification('4242');
    const signed = signedRequest(SECRET, payload);
    expect((await post(target, signed)).status).toBe(204);
    const stored = await store.getEvent(signed.messageId);
    expect(stored?.envelope).toMatchObject({
      id: signed.messageId,
      type: 'channel.follow',
      event: payload.event,
    });

    const resend = signedRequest(SECRET, payload, { messageId: signed.messageId, retry: 1 });
    const again = await post(target, resend);
    expect(again.status).toBeGreaterThanOrEqual(200);
    expect(again.status).toBeLessThan(300);
    expect(await store.countEvents()).toBe(1);
    expect((await store.getEvent(signed.messageId))?.envelope.retry).toBe(0);

    const revocation = signedRequest(SECRET, fixture('revocation.json'), { messageType: 'revocation' });
    expect((await post(target, revocation)).status).toBe(204);
    expect((await store.getEvent(revocation.messageId))?.envelope).toMatchObject({
      messageType: 'revocation',
      event: null,
    });
    const ready = await fetch(`${target.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it.each([
    ['wrong signature', () => signedRequest('some-other-secret-000', followNotification()), 403],
    [
      'timestamp 11 minutes old',
      () =>
        signedRequest(SECRET, followNotification(), {
          timestamp: new Date(Date.now() - 11 * 60_000).toISOString(),
        }),
      403,
    ],
    [
      'missing message id header',
      () => {
        const signed = signedRequest(SECRET, followNotification());
        delete signed.headers['Twitch-Eventsub-Message-Id'];
        return signed;
      },
      400,
    ],
    ['signed body that is not JSON', () => signedRequest(SECRET, '{"subscription": '), 400],
  ])('%s → %i, nothing stored in PostgreSQL', async (_name, build, status) => {
    const target = await relay();
    const store = await inspect();
    const res = await post(target, build());
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
    expect(await store.countEvents()).toBe(0);
  });

  it('two relay processes on one database: the same message ids sent to both are stored and delivered once', async () => {
    const hits: string[] = [];
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      // Called for every verified request, duplicates included: counts what the relays really sent.
      respond: (envelope) => void hits.push(envelope.id as string),
    });
    cleanups.push(() => consumer.close());
    const configFile = writeSinksConfig(
      [{ name: 'consumer', kind: 'http', url: consumer.url, secret: TEST_WEBHOOK_SECRET }],
      cleanups as (() => void)[],
    );
    const [a, b] = await Promise.all([
      relay({ CONFIG_FILE: configFile }),
      relay({ CONFIG_FILE: configFile }),
    ]);
    const store = await inspect();

    const requests = Array.from({ length: 200 }, () => signedRequest(SECRET, followNotification()));
    const statuses = await Promise.all(
      requests
        .flatMap((signed) => [post(a!, signed), post(b!, signed)])
        .map(async (res) => (await res).status),
    );
    expect(statuses.every((status) => status >= 200 && status < 300)).toBe(true);
    expect(await store.countEvents()).toBe(200);

    await waitFor(() => hits.length >= 200, 20_000, '200 deliveries at the consumer');
    // The consumer answers before the relay records success: wait for the store too.
    const deliveredCount = async () => (await store.listEvents({ status: 'delivered', limit: 1000 })).length;
    await waitFor(async () => (await deliveredCount()) === 200, 10_000, '200 deliveries recorded');
    expect(hits.sort()).toEqual(requests.map((r) => r.messageId).sort());
  });

  it('events list / show / replay work against PostgreSQL', async () => {
    const target = await relay();
    const signed = signedRequest(SECRET, fixture('notification.channel.cheer.v1.json'));
    expect((await post(target, signed)).status).toBe(204);
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const env = { EVENTSUB_SECRET: SECRET, STORE_URL: db.url, DATA_DIR: dir.path };
    const list = await runCli(['events', 'list', '--type', 'channel.*'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(signed.messageId);
    const shown = JSON.parse((await runCli(['events', 'show', signed.messageId, '--json'], env)).stdout);
    expect(shown.envelope).toMatchObject({ id: signed.messageId, type: 'channel.cheer' });
    const missing = await runCli(['events', 'show', 'no-such-id'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no event with message id no-such-id');
  });
});
