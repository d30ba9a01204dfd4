import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventFrame } from '../support/fake-eventsub-ws-messages.js';
import { startConduitSetup, type ConduitSetup } from '../support/conduit-relay.js';
import type { RoutedNotification } from '../support/fake-twitch-conduits.js';
import { waitFor } from '../support/wait-for.js';

// Real relay processes against the fake Twitch; on a loaded 2-core machine that alone takes seconds.
jest.setTimeout(120_000);

let setup: ConduitSetup;
afterEach(async () => setup?.close());

/** What a forced reconnect cost: notifications Twitch (the fake) had no enabled shard for. */
function report(what: string, routed: RoutedNotification[], gapMs: number): void {
  const dropped = routed.filter((r) => r.deliveredTo === undefined).length;
  process.stdout.write(
    `conduit shard, ${what}: ${dropped}/${routed.length} dropped, shard disabled for ${gapMs} ms\n`,
  );
}

/** Sends one stream.online per broadcaster every `everyMs` until `until` resolves; returns what was routed. */
async function sendDuring(until: Promise<unknown>, everyMs = 5): Promise<RoutedNotification[]> {
  const routed: RoutedNotification[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    routed.push(...setup.twitch.conduits.notify('stream.online'));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return routed;
}

describe('TRANSPORT=conduit, one relay, one WebSocket shard', () => {
  it('creates the conduit and its subscriptions once; reconnects of every kind re-assign the shard and create nothing', async () => {
    setup = await startConduitSetup({ broadcasters: 3, shards: 1 });
    const relay = await setup.start(0);
    const [conduit] = [...setup.twitch.conduits.conduits.values()];
    expect(conduit).toBeDefined();
    let session = await setup.shardEnabled(conduit!.id, 0);
    // Three stream.online and the conduit's own conduit.shard.disabled, each created once.
    const creates = setup.creates().length;
    expect(creates).toBe(4);
    await waitFor(() =>
      relay.process.output().includes(`shard 0 of conduit ${conduit!.id} is assigned to this session`),
    );

    const delivered = new Set<string>();
    const allSent: RoutedNotification[] = [];
    const sendAndSee = async () => {
      const routed = setup.twitch.conduits.notify('stream.online');
      allSent.push(...routed);
      expect(routed.every((r) => r.deliveredTo === '0')).toBe(true);
      await waitFor(() => routed.every((r) => setup.consumer.counts().has(r.messageId)), 15_000, 'delivery');
      for (const r of routed) delivered.add(r.messageId);
    };
    await sendAndSee();

    // Twitch closes the session (4000 internal server error, 4005 network timeout …): a new one is assigned.
    for (const code of [4000, 4005, 4006]) {
      const disabled = Date.now();
      const gap = sendDuring(setup.shardEnabled(conduit!.id, 0, session));
      setup.ws.closeSession(session, code);
      const routed = await gap;
      session = await setup.shardEnabled(conduit!.id, 0);
      report(`close ${code}`, routed, Date.now() - disabled);
      allSent.push(...routed);
      await sendAndSee();
    }

    // A network drop (no close frame): the relay reconnects and re-assigns.
    const before = Date.now();
    const gap = sendDuring(setup.shardEnabled(conduit!.id, 0, session));
    setup.ws.sessions.get(session)!.socket.terminate();
    const routed = await gap;
    session = await setup.shardEnabled(conduit!.id, 0);
    report('network drop', routed, Date.now() - before);
    allSent.push(...routed);
    await sendAndSee();

    // session_reconnect: the shard moves with the session; nothing is dropped.
    const moving = sendDuring(
      waitFor(() => setup.ws.sessions.get(session)!.open === false, 15_000, 'the old session to close'),
    );
    setup.ws.requestReconnect(session);
    const duringMove = await moving;
    expect(duringMove.every((r) => r.deliveredTo === '0')).toBe(true);
    session = await setup.shardEnabled(conduit!.id, 0);
    allSent.push(...duringMove);
    await sendAndSee();

    // Never a subscription created again, never a second conduit.
    expect(setup.creates()).toHaveLength(creates);
    expect(
      setup.twitch.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/conduits')),
    ).toHaveLength(1);
    // Everything routed to an enabled shard arrived exactly once; nothing dropped was invented.
    const reached = allSent.filter((r) => r.deliveredTo !== undefined).map((r) => r.messageId);
    await waitFor(() => reached.every((id) => setup.consumer.counts().has(id)), 15_000, 'every routed event');
    for (const id of reached) expect(setup.consumer.counts().get(id)).toBe(1);
    const dropped = allSent.filter((r) => r.deliveredTo === undefined).map((r) => r.messageId);
    const stored = await relay.storedIds();
    expect(stored).toEqual(expect.arrayContaining(reached));
    for (const id of dropped) {
      expect(stored).not.toContain(id);
      expect(setup.consumer.counts().has(id)).toBe(false);
    }
  });

  it('a restarted relay adopts the conduit it remembered in DATA_DIR and creates no subscription again', async () => {
    setup = await startConduitSetup({ broadcasters: 2, shards: 1 });
    const first = await setup.start(0);
    const [conduit] = [...setup.twitch.conduits.conduits.values()];
    await setup.shardEnabled(conduit!.id, 0);
    const creates = setup.creates().length;
    first.process.child.kill('SIGTERM');
    await first.process.exited;
    const second = await setup.start(0, { dir: first.dir });
    await setup.shardEnabled(conduit!.id, 0);
    expect(setup.twitch.conduits.conduits.size).toBe(1);
    expect(setup.creates()).toHaveLength(creates);
    expect(second.process.output()).toContain('0 subscription(s) created, 3 already there');
  });

  it('conduit.shard.disabled for its own shard while its session is open: the relay assigns the session again; the metrics say so', async () => {
    setup = await startConduitSetup({ broadcasters: 1, shards: 2 });
    const conduit = setup.twitch.conduits.create(2);
    const relay = await setup.start(0, { conduitId: conduit.id });
    const session = await setup.shardEnabled(conduit.id, 0);
    const metric = async () => await (await fetch(`${relay.process.url}/metrics`)).text();
    expect(await metric()).toContain('eventsub_conduit_shard_assigned{shard="0"} 1');
    // Twitch ended the shard on its side while the relay's socket still looks open, and the relay
    // hears of it (the fake routes the report through the conduit; here it is handed to the session).
    const shard0 = conduit.shards[0]!;
    shard0.status = 'websocket_failed_ping_pong';
    const health = setup.twitch.subscriptions.find((s) => s.type === 'conduit.shard.disabled')!;
    const event = {
      conduit_id: conduit.id,
      shard_id: '0',
      status: shard0.status,
      transport: shard0.transport,
    };
    setup.ws.sendRaw(session, eventFrame('notification', health, event, randomUUID()));
    await setup.shardEnabled(conduit.id, 0);
    expect(setup.twitch.conduits.conduits.get(conduit.id)!.shards[0]!.transport).toMatchObject({
      session_id: session,
    });
    await waitFor(
      () =>
        relay.process
          .output()
          .includes('shard 0 was reported disabled (websocket_failed_ping_pong) while this relay'),
      15_000,
      'the re-assignment logged',
    );
    const text = await metric();
    expect(text).toContain(
      'eventsub_conduit_shard_disabled_total{shard="0",status="websocket_failed_ping_pong"} 1',
    );
    expect(text).toContain('eventsub_conduit_shard_assigned{shard="0"} 1');
    // Nothing was created for it: the subscriptions are the conduit's.
    expect(setup.creates()).toHaveLength(2);
  });

  it('refuses a CONDUIT_SHARD the conduit does not have, before anything connects', async () => {
    setup = await startConduitSetup({ broadcasters: 1, shards: 2 });
    const conduit = setup.twitch.conduits.create(2);
    await expect(setup.start(2, { conduitId: conduit.id })).rejects.toThrow(
      /exited \(78\)[^]*CONDUIT_SHARD=2, but conduit .* has 2 shard\(s\) \(ids 0..1\)/,
    );
    expect(setup.creates()).toHaveLength(0);
    expect(setup.ws.sessions.size).toBe(0);
  });

  it('refuses to create a 6th conduit at start-up, naming the 5 to reuse, before creating anything', async () => {
    setup = await startConduitSetup({ broadcasters: 1, shards: 1 });
    const five = Array.from({ length: 5 }, () => setup.twitch.conduits.create(1).id);
    await expect(setup.start(0)).rejects.toThrow(
      new RegExp(
        `exited \\(78\\)[^]*already has 5 conduits, Twitch's limit is 5: put the id of one of them[^]*${five[4]}`,
      ),
    );
    expect(setup.twitch.conduits.conduits.size).toBe(5);
    expect(
      setup.twitch.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/conduits')),
    ).toHaveLength(0);
    expect(setup.creates()).toHaveLength(0);
    expect(setup.ws.sessions.size).toBe(0);
  });

  it('refuses CONDUIT_SHARD=20000 (Twitch allows 20,000 shards: ids up to 19999) before anything is called', async () => {
    setup = await startConduitSetup({ broadcasters: 1, shards: 1 });
    await expect(setup.start(20_000)).rejects.toThrow(
      /exited \(78\)[^]*CONDUIT_SHARD: must be a shard id[^]*at most 19999/,
    );
    expect(setup.twitch.requests).toHaveLength(0);
  });
});
