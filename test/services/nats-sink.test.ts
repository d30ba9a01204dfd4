import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { AckPolicy, connect, type NatsConnection } from 'nats';
import { natsSinkKind } from '../../src/sinks/nats.js';
import { DeliveryError, type Sink } from '../../src/sinks/sink.js';
import type { Envelope } from '../../src/twitch/envelope.js';
import { capturedLogger, startNatsServer } from '../support/brokers.js';
import { envelopeFrom } from '../support/envelopes.js';
import { freePort } from '../support/relay-process.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SHARED_NATS = 'nats://127.0.0.1:4222';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stream name and subject prefix of this test's own, deleted afterwards from the shared server. */
function uniqueNames() {
  const suffix = randomBytes(5).toString('hex');
  return { stream: `EVENTSUB_TEST_${suffix}`, subjectPrefix: `eventsub-test-${suffix}` };
}

async function sink(options: Record<string, unknown>, log = capturedLogger()): Promise<Sink> {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const created = await natsSinkKind.create(natsSinkKind.optionsSchema.parse(options), {
    name: 'bus',
    logger: log.logger,
    dataDir: dir.path,
  });
  cleanups.push(() => created.close?.());
  return created;
}

async function client(
  servers = SHARED_NATS,
  auth: { user?: string; pass?: string } = {},
): Promise<NatsConnection> {
  const connection = await connect({ servers, ...auth });
  cleanups.push(() => connection.close());
  return connection;
}

const signal = () => new AbortController().signal;
const untilDelivered = (target: Sink, envelope: Envelope) =>
  waitFor(
    () =>
      target.deliver(envelope, signal()).then(
        () => true,
        () => false,
      ),
    20_000,
    'the sink to reconnect',
  );

describe('nats sink against a real NATS JetStream', () => {
  it('creates the stream when asked; a durable consumer reads every event once; re-sends are dropped', async () => {
    const names = uniqueNames();
    const log = capturedLogger();
    const target = await sink({ servers: SHARED_NATS, ...names, createStream: true }, log);
    const nc = await client();
    const jsm = await nc.jetstreamManager();
    cleanups.push(() => jsm.streams.delete(names.stream).catch(() => undefined));

    const sent = Array.from({ length: 60 }, (_, i) =>
      envelopeFrom(i % 3 ? undefined : 'notification.channel.raid.v1.json'),
    );
    await Promise.all(sent.map((envelope) => target.deliver(envelope, signal())));
    expect(log.text()).toContain(`created JetStream stream ${names.stream}`);

    // Re-publishing with the same Nats-Msg-Id inside the duplicate window: acked, but not stored twice.
    await Promise.all(sent.slice(0, 20).map((envelope) => target.deliver(envelope, signal())));
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(60);

    await jsm.consumers.add(names.stream, { durable_name: 'bots', ack_policy: AckPolicy.Explicit });
    const consumer = await nc.jetstream().consumers.get(names.stream, 'bots');
    const read: { subject: string; msgId: string | undefined; envelope: Envelope }[] = [];
    while (read.length < 60) {
      const batch = await consumer.fetch({ max_messages: 25, expires: 2_000 });
      for await (const message of batch) {
        read.push({
          subject: message.subject,
          msgId: message.headers?.get('Nats-Msg-Id'),
          envelope: message.json(),
        });
        message.ack();
      }
    }
    expect(read.map((r) => r.envelope.id).sort()).toEqual(sent.map((e) => e.id).sort());
    for (const { subject, msgId, envelope } of read) {
      expect(subject).toBe(`${names.subjectPrefix}.${envelope.type}`);
      expect(msgId).toBe(envelope.id);
      expect(envelope).toEqual(sent.find((e) => e.id === envelope.id));
    }
    const none = await consumer.fetch({ max_messages: 10, expires: 1_000 });
    for await (const message of none) throw new Error(`read twice: ${message.subject}`);
    expect((await consumer.info()).num_pending).toBe(0);
  });

  it('without createStream it never creates one: deliver() rejects and says how to create it', async () => {
    const names = uniqueNames();
    const log = capturedLogger();
    const target = await sink({ servers: SHARED_NATS, ...names }, log);
    const failure = await target.deliver(envelopeFrom(), signal()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as Error).message).toContain(
      `no JetStream stream captures ${names.subjectPrefix}.channel.follow`,
    );
    expect((failure as Error).message).toContain('createStream: true');
    const jsm = await (await client()).jetstreamManager();
    await expect(jsm.streams.info(names.stream)).rejects.toThrow(/stream not found/);
    expect(log.text()).not.toContain('created JetStream stream');
  });

  it('createStream that fails (another stream holds the subjects) is retried by later deliveries until it works', async () => {
    const names = uniqueNames();
    const nc = await client();
    const jsm = await nc.jetstreamManager();
    // A stream of someone else's that already captures our subjects: JetStream refuses ours (overlap).
    const blocker = `${names.stream}_BLOCKER`;
    await jsm.streams.add({ name: blocker, subjects: [`${names.subjectPrefix}.>`] });
    cleanups.push(() => jsm.streams.delete(blocker).catch(() => undefined));
    cleanups.push(() => jsm.streams.delete(names.stream).catch(() => undefined));
    const log = capturedLogger();
    const target = await sink({ servers: SHARED_NATS, ...names, createStream: true }, log);

    const envelope = envelopeFrom();
    for (let attempt = 0; attempt < 3; attempt++) {
      const failure = await target.deliver(envelope, signal()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DeliveryError);
      expect((failure as Error).message).toMatch(
        new RegExp(
          `cannot create JetStream stream ${names.stream} .*overlap.*Tried again on the next delivery`,
        ),
      );
    }
    // Nothing was published while our stream was missing, not even into the stream that overlaps.
    expect((await jsm.streams.info(blocker)).state.messages).toBe(0);
    await expect(jsm.streams.info(names.stream)).rejects.toThrow(/stream not found/);
    // Logged once per outage, not once per failed delivery (the connect-time try included).
    expect(log.text().match(/cannot create JetStream stream/g)).toHaveLength(1);

    await jsm.streams.delete(blocker); // the operator fixes the conflict; no relay restart
    await target.deliver(envelope, signal());
    await target.deliver(envelopeFrom(), signal());
    expect((await jsm.streams.info(names.stream)).state.messages).toBe(2);
    expect(log.text()).toContain(`created JetStream stream ${names.stream}`);
    expect(log.text()).toContain('JetStream stream is ready now');
  });

  it('broker down, then up (and down again): deliver() rejects while down, and nothing acked is lost', async () => {
    const store = tempDir();
    cleanups.push(store.cleanup);
    const port = await freePort();
    const credentials = { user: 'relay', pass: 'nats-pass-' + randomBytes(8).toString('hex') };
    const names = uniqueNames();
    const log = capturedLogger();
    const target = await sink(
      { servers: `nats://127.0.0.1:${port}`, ...credentials, ...names, createStream: true, timeoutMs: 500 },
      log,
    );

    const first = envelopeFrom();
    await expect(target.deliver(first, signal())).rejects.toThrow(
      /NATS at nats:\/\/127\.0\.0\.1:\d+ is not reachable/,
    );
    let server = await startNatsServer({ port, storeDir: store.path, ...credentials });
    cleanups.push(() => server.kill());
    await untilDelivered(target, first);

    await server.kill();
    const second = envelopeFrom();
    await expect(target.deliver(second, signal())).rejects.toBeInstanceOf(DeliveryError);
    server = await startNatsServer({ port, storeDir: store.path, ...credentials });
    cleanups.push(() => server.kill());
    await untilDelivered(target, second);

    const nc = await client(`nats://127.0.0.1:${port}`, credentials);
    const stream = await (await nc.jetstreamManager()).streams.info(names.stream);
    expect(stream.state.messages).toBe(2); // file storage survived kill -9; the retries were deduplicated
    expect(log.text()).not.toContain(credentials.pass);
  });

  it('servers with credentials in the URL are logged redacted', async () => {
    const log = capturedLogger();
    const target = await sink({ servers: 'nats://relay:url-secret-123@127.0.0.1:1', timeoutMs: 200 }, log);
    const failure = await target.deliver(envelopeFrom(), signal()).catch((error: unknown) => error);
    expect((failure as Error).message).toContain('nats://relay:***@127.0.0.1:1');
    expect((failure as Error).message).not.toContain('url-secret-123');
    expect(log.text()).not.toContain('url-secret-123');
    expect(natsSinkKind.secretFields).toEqual(expect.arrayContaining(['pass', 'token', 'servers']));
  });
});
