import { afterEach, describe, expect, it } from '@jest/globals';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import { FAST_RETRY, TEST_WEBHOOK_SECRET, writeSinksConfig } from '../support/config-file.js';
import { runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { openStoreFor } from '../support/process-store.js';
import { fixture, postSigned } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'replay-sinks-secret-01';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Shown {
  deliveries: Array<{ sink: string; status: string }>;
}

async function stop(relay: RelayProcess): Promise<void> {
  relay.child.kill('SIGTERM');
  expect(await relay.exited).toBe(0);
}

describe('events replay only ever queues deliveries some sink of this relay will deliver', () => {
  it('refuses sinks it does not have or that did not exist then, replays --status dead, and says "1 delivery"', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    let failing = true;
    const consumer = await startConsumer({
      secret: TEST_WEBHOOK_SECRET,
      respond: () => (failing ? 500 : undefined),
    });
    cleanups.push(() => consumer.close());
    const sink = (name: string) => ({
      name,
      kind: 'http',
      url: consumer.url,
      secret: TEST_WEBHOOK_SECRET,
      retry: FAST_RETRY,
    });
    const env = (sinks: unknown[]) => ({
      DATA_DIR: dir.path,
      EVENTSUB_SECRET: SECRET,
      CONFIG_FILE: writeSinksConfig(sinks, cleanups as (() => void)[]),
    });

    // An event whose only delivery, to "old", used up its schedule.
    const before = env([sink('old')]);
    const first = await startRelayProcess(before);
    const { messageId: id } = await postSigned(
      first.url,
      SECRET,
      fixture('notification.channel.cheer.v1.json'),
    );
    const reader = await openStoreFor(dir.path); // a reader beside the relay, as the CLI is
    try {
      await waitFor(
        async () => (await reader.listDead({})).some((dead) => dead.eventId === id),
        10_000,
        'the delivery dead',
      );
    } finally {
      await reader.close();
    }
    await stop(first);

    // The config now has "new" instead of "old".
    const after = env([sink('new')]);
    const cli = (...args: string[]) => runCli(args, after);
    const byId = await cli('events', 'replay', id);
    expect(byId.code).toBe(1);
    // No relay runs here: the command says so in one line, then acts on the store itself.
    expect(byId.stderr).toBe(
      "eventsub-relay events replay: no relay answers at http://127.0.0.1:8080; acting with this command's own configuration\n" +
        'eventsub-relay: nothing was replayed; left alone the deliveries to old: no sink of that name is configured ' +
        '(run this with the relay’s own .env and CONFIG_FILE, e.g. `sudo eventsub-relay …` for the installed service)\n',
    );
    const newSink = await cli('events', 'replay', id, '--sink', 'new');
    expect(newSink.code).toBe(1);
    expect(newSink.stderr).toContain(
      `event ${id} has no delivery to sink "new": the sink did not exist when the event arrived, or its filter left the event out`,
    );
    const oldSink = await cli('events', 'replay', '--since', '1h', '--sink', 'old');
    expect(oldSink.code).toBe(1);
    expect(oldSink.stderr).toContain('this relay has no sink named "old" (its sinks: new)');
    const dead = await cli('events', 'replay', '--status', 'dead');
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain('left alone the deliveries to old');
    const since = await cli('events', 'replay', '--since', '1h', '--sink', 'new');
    expect(since.code).toBe(1);
    expect(since.stderr).toContain(
      'no deliveries to sink "new" match: events that arrived before "new" was configured',
    );
    // Nothing was queued for a sink nobody delivers to: the delivery is still dead, not pending forever.
    const shown = JSON.parse((await cli('events', 'show', id, '--json')).stdout) as Shown;
    expect(shown.deliveries).toEqual([expect.objectContaining({ sink: 'old', status: 'dead' })]);

    // With "old" back (and answering), --status dead replays exactly that one delivery.
    failing = false;
    const both = env([sink('old'), sink('new')]);
    const second = await startRelayProcess(both);
    cleanups.push(() => second.child.kill('SIGKILL'));
    const replayed = await runCli(['events', 'replay', '--status', 'dead'], both);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe(
      '1 delivery queued again; a running relay delivers it within a few seconds\n',
    );
    await waitFor(() => consumer.received.some((e) => e.id === id), 15_000, 'the replayed delivery');
    const again = await runCli(['events', 'replay', '--status', 'dead', '--json'], both);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ requeued: 0, leftAlone: [] });
    expect((await runCli(['events', 'replay', '--status', 'dead'], both)).stdout).toBe(
      'nothing to replay: no dead deliveries match\n',
    );
    const bad = await runCli(['events', 'replay', '--status', 'delivered'], both);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--status must be one of pending, dead');
  }, 60_000);
});
