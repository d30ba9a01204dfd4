import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { adminQuery, createTempDatabase, type TempDatabase } from '../support/pg-database.js';
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

  it.each<[string, number, () => SignedRequest]>([
    ['wrong signature', 403, () => signedRequest('some-other-secret-000', followNotification())],
    [
      'timestamp 11 minutes old',
      403,
      () =>
        signedRequest(SECRET, followNotification(), {
          timestamp: new Date(Date.now() - 11 * 60_000).toISOString(),
        }),
    ],
    [
      'missing message id header',
      400,
      () => {
        const signed = signedRequest(SECRET, followNotification());
        delete signed.headers['Twitch-Eventsub-Message-Id'];
        return signed;
      },
    ],
    ['signed body that is not JSON', 400, () => signedRequest(SECRET, '{"subscription": ')],
  ])('%s → %i, nothing stored in PostgreSQL', async (_name, status, build) => {
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

  it('the server dropping its idle connections is logged once per connection, and the next event is stored', async () => {
    const target = await relay();
    expect((await post(target, signedRequest(SECRET, followNotification()))).status).toBe(204);
    // What a PostgreSQL restart or failover does to the relay's idle pool connections.
    const killed = await adminQuery<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name = ''`,
      [db.name],
    );
    expect(killed.length).toBeGreaterThan(0);
    await waitFor(() => target.output().includes('store connection dropped while idle'));
    expect((await post(target, signedRequest(SECRET, followNotification()))).status).toBe(204);
    expect(await (await inspect()).countEvents()).toBe(2);
    expect(target.child.exitCode).toBeNull();
  });

  it('events list / show work against PostgreSQL', async () => {
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

  it('events dead lists a delivery that used up its schedule; events replay <id> gets it delivered', async () => {
    let failing = true;
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (failing ? 500 : undefined),
    });
    cleanups.push(() => consumer.close());
    const configFile = writeSinksConfig(
      [
        {
          name: 'consumer',
          kind: 'http',
          url: consumer.url,
          secret: TEST_WEBHOOK_SECRET,
          retry: { schedule: [0.1, 0.1], jitter: 0 }, // three attempts, then dead
        },
      ],
      cleanups as (() => void)[],
    );
    const target = await relay({ CONFIG_FILE: configFile });
    const store = await inspect();
    const dead = signedRequest(SECRET, followNotification());
    const fine = signedRequest(SECRET, followNotification());
    expect((await post(target, dead)).status).toBe(204);
    await waitFor(async () => (await store.listDead({})).length === 1, 15_000, 'the delivery to go dead');
    failing = false;
    expect((await post(target, fine)).status).toBe(204);
    await waitFor(() => consumer.received.length === 1, 15_000, 'the second event delivered');

    const dir = tempDir();
    cleanups.push(dir.cleanup);
    // The CLI reads the relay's configuration too: a replay only queues deliveries to its sinks.
    const env = { EVENTSUB_SECRET: SECRET, STORE_URL: db.url, DATA_DIR: dir.path, CONFIG_FILE: configFile };
    const listed = await runCli(['events', 'dead', '--json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ eventId: dead.messageId, sink: 'consumer', status: 'dead', attempts: 3 }),
    ]);
    expect((await runCli(['events', 'dead'], env)).stdout).toContain(
      'replay with: eventsub-relay events replay',
    );

    const unknown = await runCli(['events', 'replay', 'no-such-id', dead.messageId], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no event with message id no-such-id; nothing was replayed');
    expect((await store.listDead({})).map((d) => d.eventId)).toEqual([dead.messageId]);

    const replayed = await runCli(['events', 'replay', dead.messageId, '--json'], env);
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toEqual({ requeued: 1, leftAlone: [] });
    // The running relay finds the requeued delivery at its next poll (a few seconds).
    await waitFor(
      () => consumer.received.some((e) => e.id === dead.messageId),
      15_000,
      'the replayed event at the consumer',
    );
    await waitFor(
      async () => (await store.getEvent(dead.messageId))?.deliveries[0]?.status === 'delivered',
      10_000,
      'the replay recorded',
    );
    expect(await store.listDead({})).toEqual([]);
    const shown = JSON.parse((await runCli(['events', 'show', dead.messageId, '--json'], env)).stdout);
    expect(shown.attempts.map((a: { error?: string }) => a.error ?? 'delivered')).toEqual([
      'HTTP 500',
      'HTTP 500',
      'HTTP 500',
      'delivered',
    ]);
    expect(consumer.received.map((e) => e.id)).toEqual([fine.messageId, dead.messageId]);
  });
});
