import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startConsumer, type StartedConsumer } from '../../examples/consumer/consumer.mjs';
import { FAST_RETRY, TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { fixture, followNotification, postSigned } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function consumer(options: Parameters<typeof startConsumer>[0] = { secret: TEST_WEBHOOK_SECRET }) {
  const started = await startConsumer(options);
  cleanups.push(() => started.close());
  return started;
}

async function relayWithSinks(sinks: unknown[], env: Record<string, string> = {}): Promise<Relay> {
  const relay = await startTestRelay({
    CONFIG_FILE: writeSinksConfig(sinks, cleanups as (() => void)[]),
    ...env,
  });
  cleanups.push(() => relay.close());
  return relay;
}

const httpSink = (name: string, target: StartedConsumer, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'http',
  url: target.url,
  secret: TEST_WEBHOOK_SECRET,
  retry: FAST_RETRY,
  ...extra,
});

async function send(relay: Relay, payload: unknown = followNotification(), messageType = 'notification') {
  const { status, messageId } = await postSigned(relay.url, TEST_SECRET, payload, messageType);
  expect(status).toBe(204);
  return messageId;
}

describe('http sink (Standard Webhooks)', () => {
  it('forwards every notification and revocation; the consumer verifies each signature', async () => {
    const target = await consumer();
    const relay = await relayWithSinks([httpSink('consumer', target)]);
    const payload = fixture('notification.stream.online.v1.json');
    const ids = [await send(relay, payload), await send(relay, fixture('revocation.json'), 'revocation')];
    await waitFor(() => target.received.length === 2);
    expect(target.rejected).toBe(0);
    const [online, revocation] = target.received;
    expect(online).toMatchObject({
      id: ids[0],
      messageType: 'notification',
      type: 'stream.online',
      version: '1',
      event: (payload as { event: unknown }).event,
      subscription: (payload as { subscription: unknown }).subscription,
      retry: 0,
    });
    expect(revocation).toMatchObject({
      id: ids[1],
      messageType: 'revocation',
      type: 'channel.follow',
      event: null,
    });
    await waitFor(async () => (await relay.store.getEvent(ids[0]!))?.deliveries[0]?.status === 'delivered');
  });

  it('a consumer that is down for a while gets everything once it is up, each event once', async () => {
    const target = await consumer();
    const url = target.url;
    await target.close(); // down: connection refused
    const relay = await relayWithSinks([
      {
        ...httpSink('consumer', target),
        url,
        retry: { schedule: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2], jitter: 0 },
      },
    ]);
    const ids = await Promise.all(Array.from({ length: 10 }, () => send(relay)));
    await waitFor(async () => (await relay.store.getEvent(ids[0]!))!.deliveries[0]!.attempts >= 1);
    const port = Number(new URL(url).port);
    const back = await consumer({ secret: TEST_WEBHOOK_SECRET, port });
    await waitFor(() => back.received.length === 10);
    await new Promise((resolve) => setTimeout(resolve, 300)); // any duplicate would arrive by now
    expect(back.received.map((e) => e.id).sort()).toEqual([...ids].sort());
  });

  it('500 then 200: retried on the schedule, attempts recorded', async () => {
    let calls = 0;
    const target = await consumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (++calls <= 2 ? 500 : undefined),
    });
    const relay = await relayWithSinks([httpSink('consumer', target)]);
    const id = await send(relay);
    await waitFor(() => target.received.length === 1);
    await waitFor(async () => (await relay.store.getEvent(id))?.deliveries[0]?.status === 'delivered');
    const detail = await relay.store.getEvent(id);
    expect(detail!.attempts.map((a) => a.error ?? 'ok')).toEqual(['HTTP 500', 'HTTP 500', 'ok']);
    const gaps = detail!.attempts
      .slice(1)
      .map((a, i) => a.startedAt.getTime() - detail!.attempts[i]!.finishedAt.getTime());
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(90); // the 0.1 s step, not a busy loop
  });

  it('after the last step the delivery is dead, listed, and replay delivers it', async () => {
    let failing = true;
    const target = await consumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (failing ? 500 : undefined),
    });
    const relay = await relayWithSinks([httpSink('consumer', target)]);
    const id = await send(relay);
    await waitFor(async () => (await relay.store.getEvent(id))?.deliveries[0]?.status === 'dead');
    expect((await relay.store.getEvent(id))!.deliveries[0]!.attempts).toBe(4); // first try + 3 retries
    expect((await relay.store.listDead({})).map((d) => d.eventId)).toEqual([id]);
    failing = false;
    expect(await relay.store.requeue({ ids: [id] })).toBe(1);
    // the lane polls for replayed work (another process, the CLI, may have queued it)
    await waitFor(() => target.received.length === 1, 10_000);
    expect(await relay.store.listDead({})).toEqual([]);
  });

  it('410 Gone disables the sink; its deliveries stay pending, other sinks carry on', async () => {
    const gone = await consumer({ secret: TEST_WEBHOOK_SECRET, respond: () => 410 });
    const healthy = await consumer();
    const relay = await relayWithSinks([httpSink('gone', gone), httpSink('healthy', healthy)]);
    const first = await send(relay);
    await waitFor(async () => (await relay.store.getEvent(first))!.attempts.some((a) => a.sink === 'gone'));
    const second = await send(relay);
    await waitFor(() => healthy.received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const detail = await relay.store.getEvent(second);
    expect(detail!.deliveries.find((d) => d.sink === 'gone')).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    expect((await relay.store.getEvent(first))!.attempts.filter((a) => a.sink === 'gone')).toHaveLength(1);
  });

  it('429 with Retry-After waits as asked', async () => {
    let calls = 0;
    const target = await consumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (++calls === 1 ? 429 : undefined),
    });
    const relay = await relayWithSinks([httpSink('consumer', target)]);
    const id = await send(relay);
    await waitFor(() => target.received.length === 1);
    // The consumer answers before the relay records the attempt: wait for the store, not the consumer.
    await waitFor(async () => (await relay.store.getEvent(id))!.attempts.length === 2);
    const attempts = (await relay.store.getEvent(id))!.attempts;
    expect(attempts[0]!.error).toBe('HTTP 429');
    expect(attempts[1]!.startedAt.getTime() - attempts[0]!.finishedAt.getTime()).toBeGreaterThanOrEqual(950);
  });

  it('a dead or slow sink does not slow another sink', async () => {
    const slow = await consumer({ secret: TEST_WEBHOOK_SECRET, respond: () => 500 });
    const fast = await consumer();
    const relay = await relayWithSinks([
      httpSink('slow', slow, { timeoutMs: 60_000, concurrency: 1, retry: { schedule: [60], jitter: 0 } }),
      httpSink('fast', fast, { concurrency: 4 }),
    ]);
    const ids = await Promise.all(Array.from({ length: 20 }, () => send(relay)));
    await waitFor(() => fast.received.length === 20);
    expect(fast.received.map((e) => e.id).sort()).toEqual([...ids].sort());
  });

  it('filters route by type glob, message type and broadcaster', async () => {
    const channel = await consumer();
    const streams = await consumer();
    const revocations = await consumer();
    const relay = await relayWithSinks([
      httpSink('channel', channel, { filter: { types: ['channel.*'], messageTypes: ['notification'] } }),
      httpSink('streams', streams, { filter: { types: ['stream.*'], broadcasters: ['1337'] } }),
      httpSink('revocations', revocations, { filter: { messageTypes: ['revocation'] } }),
    ]);
    const follow = await send(relay, fixture('notification.channel.follow.v2.json'));
    const online = await send(relay, fixture('notification.stream.online.v1.json'));
    const otherOnline = fixture('notification.stream.online.v1.json') as {
      subscription: { condition: object };
    };
    otherOnline.subscription.condition = { broadcaster_user_id: '999' };
    await send(relay, otherOnline);
    const revoked = await send(relay, fixture('revocation.json'), 'revocation');
    await waitFor(
      () =>
        channel.received.length === 1 && streams.received.length === 1 && revocations.received.length === 1,
    );
    expect(channel.received[0]!.id).toBe(follow);
    expect(streams.received[0]!.id).toBe(online);
    expect(revocations.received[0]!.id).toBe(revoked);
  });
});

describe('file sink', () => {
  it('appends one JSON line per event to a 0600 file, and keeps lines whole across restarts', async () => {
    const relay = await relayWithSinks([{ name: 'archive', kind: 'file', path: 'events.jsonl' }]);
    const path = join(relay.config.dataDir, 'events.jsonl');
    const first = await send(relay);
    await waitFor(async () => (await relay.store.getEvent(first))?.deliveries[0]?.status === 'delivered');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.id)).toEqual([first]);
  });
});

describe('module sink', () => {
  it('calls handlers with typed twurple objects and the envelope; a throwing handler is retried', async () => {
    const dir = (await import('../support/temp-dir.js')).tempDir();
    cleanups.push(dir.cleanup);
    const modulePath = join(dir.path, 'handlers.mjs');
    const outPath = join(dir.path, 'out.jsonl');
    const { writeFileSync, appendFileSync } = await import('node:fs');
    void appendFileSync;
    writeFileSync(
      modulePath,
      `import { appendFileSync } from 'node:fs';
       let failures = 0;
       export default (relay) => {
         relay.on('channel.follow', (follow, envelope) => {
           appendFileSync(${JSON.stringify(outPath)}, JSON.stringify({ cls: follow.constructor.name, user: follow.userDisplayName, date: follow.followDate.toISOString(), id: envelope.id }) + '\\n');
         });
         relay.on(['stream.online', 'stream.offline'], (event) => {
           if (failures++ === 0) throw new Error('first try fails');
           appendFileSync(${JSON.stringify(outPath)}, JSON.stringify({ cls: event.constructor.name, type: event.type }) + '\\n');
         });
         relay.onError((error) => appendFileSync(${JSON.stringify(outPath)}, JSON.stringify({ error: error.message }) + '\\n'));
       };`,
    );
    const relay = await relayWithSinks([
      { name: 'bot', kind: 'module', path: modulePath, retry: FAST_RETRY },
    ]);
    const followId = await send(relay, fixture('notification.channel.follow.v2.json'));
    await send(relay, fixture('notification.stream.online.v1.json'));
    const read = () => {
      try {
        return readFileSync(outPath, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
      } catch {
        return [];
      }
    };
    await waitFor(() => read().length === 3);
    expect(read()).toEqual(
      expect.arrayContaining([
        {
          cls: 'EventSubChannelFollowEvent',
          user: 'Cool_User',
          date: '2020-07-15T18:16:11.171Z',
          id: followId,
        },
        { error: 'first try fails' },
        { cls: 'EventSubStreamOnlineEvent', type: 'live' },
      ]),
    );
  });
});
