import { afterEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../src/observability/logger.js';
import type { DeliveryStatus } from '../../src/store/store.js';
import { FAST_RETRY, writeSinksConfig } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { freePort } from '../support/relay-process.js';
import { fixture, followNotification, postSigned } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function folder(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

async function relayWithSinks(sinks: unknown[], logger?: Logger): Promise<Relay> {
  const relay = await startTestRelay(
    { CONFIG_FILE: writeSinksConfig(sinks, cleanups as (() => void)[]) },
    logger ? { logger } : {},
  );
  cleanups.push(() => relay.close());
  return relay;
}

async function send(relay: Relay, payload: unknown = followNotification()) {
  const { status, messageId } = await postSigned(relay.url, TEST_SECRET, payload);
  expect(status).toBe(204);
  return messageId;
}

async function waitForStatus(relay: Relay, ids: readonly string[], status: DeliveryStatus) {
  await waitFor(
    async () => {
      for (const id of ids)
        if ((await relay.store.getEvent(id))?.deliveries[0]?.status !== status) return false;
      return true;
    },
    20_000,
    `${ids.length} deliveries ${status}`,
  );
}

/** Every line of the file, each parsed (throws on a line that is not whole JSON). */
function jsonLines(path: string): { id: string }[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('file sink', () => {
  it('appends one JSON line per event to a 0600 file, across a restart and a crash-cut last line', async () => {
    const path = join(folder(), 'events.jsonl');
    const sinks = [{ name: 'archive', kind: 'file', path }];
    const first = await relayWithSinks(sinks);
    const before = [await send(first), await send(first), await send(first)];
    await waitForStatus(first, before, 'delivered');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await first.close();

    // What a crash in the middle of a write leaves behind: the start of a line, no newline.
    appendFileSync(path, '{"id":"cut-off-by-a-crash","messageType":"notif');
    const logs = captureLogs();
    const second = await relayWithSinks(sinks, logs.logger);
    const after = await Promise.all([send(second), send(second), send(second)]);
    await waitForStatus(second, after, 'delivered');

    const lines = jsonLines(path); // every line parses: the partial one was cut off, nothing else
    expect(
      lines
        .map((l) => l.id)
        .slice(0, 3)
        .sort(),
    ).toEqual([...before].sort());
    expect(
      lines
        .map((l) => l.id)
        .slice(3)
        .sort(),
    ).toEqual([...after].sort());
    expect(lines).toHaveLength(6);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: LEVEL.warn,
        msg: expect.stringContaining('removed an unfinished last line'),
      }),
    );
  });

  it('an existing file with mode 0644 is narrowed to 0600, its lines kept', async () => {
    const path = join(folder(), 'events.jsonl');
    writeFileSync(path, '{"id":"from-before"}\n');
    chmodSync(path, 0o644);
    const logs = captureLogs();
    const relay = await relayWithSinks([{ name: 'archive', kind: 'file', path }], logs.logger);
    const id = await send(relay);
    await waitForStatus(relay, [id], 'delivered');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(jsonLines(path).map((l) => l.id)).toEqual(['from-before', id]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: LEVEL.warn,
        was: '644',
        msg: expect.stringContaining('set it to 600'),
      }),
    );
  });
});

describe('module sink', () => {
  /** Writes a handler module into a temp folder; `out` collects what its handlers report, one JSON line each. */
  function handlerModule(source: (out: string) => string) {
    const dir = folder();
    const out = join(dir, 'out.jsonl');
    const path = join(dir, 'handlers.mjs');
    writeFileSync(
      path,
      `import { appendFileSync } from 'node:fs';\nconst report = (value) => appendFileSync(${JSON.stringify(out)}, JSON.stringify(value) + '\\n');\n${source(out)}`,
    );
    const read = (): Record<string, unknown>[] => {
      try {
        return jsonLines(out);
      } catch {
        return [];
      }
    };
    return { path, read };
  }

  it('calls on() and onAny() handlers with typed twurple objects and the envelope; a throwing handler is retried', async () => {
    const handlers = handlerModule(
      () => `let failures = 0;
       export default (relay) => {
         relay.on('channel.follow', (follow, envelope) => {
           report({ on: follow.constructor.name, user: follow.userDisplayName, date: follow.followDate.toISOString(), id: envelope.id });
         });
         relay.on(['stream.online', 'stream.offline'], (event) => {
           if (failures++ === 0) throw new Error('first try fails');
           report({ on: event.constructor.name, type: event.type });
         });
         relay.onAny((event, envelope) => report({ any: event?.constructor.name ?? null, type: envelope.type }));
         relay.onError((error) => report({ error: error.message }));
       };`,
    );
    const relay = await relayWithSinks([
      { name: 'bot', kind: 'module', path: handlers.path, retry: FAST_RETRY },
    ]);
    const followId = await send(relay, fixture('notification.channel.follow.v2.json'));
    const onlineId = await send(relay, fixture('notification.stream.online.v1.json'));
    const cheerId = await send(relay, fixture('notification.channel.cheer.v1.json'));
    await waitForStatus(relay, [followId, onlineId, cheerId], 'delivered');
    expect(handlers.read()).toEqual(
      expect.arrayContaining([
        {
          on: 'EventSubChannelFollowEvent',
          user: 'Cool_User',
          date: '2020-07-15T18:16:11.171Z',
          id: followId,
        },
        { any: 'EventSubChannelFollowEvent', type: 'channel.follow' },
        { error: 'first try fails' },
        { on: 'EventSubStreamOnlineEvent', type: 'live' },
        { any: 'EventSubStreamOnlineEvent', type: 'stream.online' },
        { any: 'EventSubChannelCheerEvent', type: 'channel.cheer' },
      ]),
    );
    expect(handlers.read()).toHaveLength(6);
    expect((await relay.store.getEvent(onlineId))!.attempts.map((a) => a.error ?? 'ok')).toEqual([
      'handler failed: first try fails',
      'ok',
    ]);
  });

  it('a handler that never settles is aborted at the sink timeout and retried', async () => {
    const handlers = handlerModule(
      () => `let calls = 0;
       export default (relay) => {
         relay.on('channel.follow', async (follow, envelope) => {
           if (++calls === 1) return new Promise(() => {}); // hangs forever
           report({ id: envelope.id, call: calls });
         });
       };`,
    );
    const relay = await relayWithSinks([
      { name: 'bot', kind: 'module', path: handlers.path, timeoutMs: 200, retry: FAST_RETRY },
    ]);
    const id = await send(relay);
    await waitForStatus(relay, [id], 'delivered');
    expect((await relay.store.getEvent(id))!.attempts.map((a) => a.error ?? 'ok')).toEqual([
      'no result within 1200 ms; attempt aborted',
      'ok',
    ]);
    expect(handlers.read()).toEqual([{ id, call: 2 }]);
  });
});

describe('sink log lines', () => {
  it('name their sink once: the logger a kind gets is already labelled with it', async () => {
    const logs = captureLogs();
    const closed = await freePort(); // nothing listens there: each sink logs that it cannot connect
    await relayWithSinks(
      [
        { name: 'to-redis', kind: 'redis-stream', url: `redis://127.0.0.1:${closed}`, timeoutMs: 1000 },
        { name: 'to-nats', kind: 'nats', servers: [`nats://127.0.0.1:${closed}`], timeoutMs: 1000 },
      ],
      logs.logger,
    );
    await waitFor(
      () => ['to-redis', 'to-nats'].every((name) => logs.text().includes(`sink ${name}: cannot reach`)),
      10_000,
      'both sinks logged that they cannot connect',
    );
    const raw = logs.text().split('\n');
    const unreachable = raw.filter((line) => line.includes(': cannot reach'));
    expect(unreachable.map((line) => JSON.parse(line).sink).sort()).toEqual(['to-nats', 'to-redis']);
    // pino writes a child's bindings and the call's fields side by side: a key in both appears twice.
    expect(raw.filter((line) => (line.match(/"sink":/g) ?? []).length > 1)).toEqual([]);
  });
});
