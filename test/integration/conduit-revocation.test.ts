import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { startConduitSetup, type ConduitSetup } from '../support/conduit-relay.js';
import { waitFor } from '../support/wait-for.js';

// A real relay process as the one WebSocket shard of a conduit, with AUTO_RESUBSCRIBE=true: the
// webhook recreation would act on two of these statuses, and must not for conduit subscriptions.
// Every wait has a timeout, and afterEach stops the relay, the fake Twitch and the consumer: an
// earlier version of this test waited, without one, for a revocation the fake never sent (its
// revoke looked for the subscription's WebSocket session, which a conduit subscription has not).
jest.setTimeout(120_000);

let setup: ConduitSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const STATUSES = ['notification_failures_exceeded', 'version_removed', 'authorization_revoked'];

describe('TRANSPORT=conduit: revocations of conduit subscriptions', () => {
  it('take the one revocation path: stored, delivered, logged at error with `sync` as the restore, never re-created', async () => {
    setup = await startConduitSetup({ broadcasters: STATUSES.length + 1, shards: 1 });
    const relay = await setup.start(0, { env: { AUTO_RESUBSCRIBE: 'true' } });
    const [conduit] = [...setup.twitch.conduits.conduits.values()];
    await setup.shardEnabled(conduit!.id, 0);
    // Four stream.online and the conduit's conduit.shard.disabled, created once at start-up.
    const createdAtStart = setup.creates().length;
    expect(createdAtStart).toBe(STATUSES.length + 2);

    const online = setup.twitch.conduits
      .subscriptionsOf(conduit!.id)
      .filter((s) => s.type === 'stream.online');
    const revocations = STATUSES.map((status, i) => {
      const routed = setup!.twitch.conduits.revoke(online[i]!.id, status);
      expect(routed?.deliveredTo).toBe('0');
      return { status, messageId: routed!.messageId };
    });
    for (const { status } of revocations)
      await waitFor(
        () => relay.process.output().includes(`Twitch revoked stream.online v1 (${status}) on the conduit`),
        15_000,
        `the ${status} revocation logged`,
      );

    const lines = relay.process
      .output()
      .split('\n')
      .filter((line) => line.includes('Twitch revoked stream.online'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(STATUSES.length);
    for (const line of lines)
      expect(line).toMatchObject({ level: 50, transport: 'conduit', autoResubscribe: false });
    const byStatus = new Map(lines.map((line) => [line.status, String(line.msg)]));
    expect(byStatus.get('notification_failures_exceeded')).toContain(
      'To restore it: eventsub-relay sync (it creates the subscription on the conduit again) once the relays serving the conduit',
    );
    expect(byStatus.get('version_removed')).toContain('then eventsub-relay sync');
    expect(byStatus.get('authorization_revoked')).toContain(
      'then eventsub-relay sync (it creates the subscription on the conduit again)',
    );
    expect(relay.process.output()).not.toContain('AUTO_RESUBSCRIBE=true: recreating it now');

    // Stored and delivered like every event (the same intake), and no longer notified.
    await waitFor(
      () => revocations.every((r) => setup!.consumer.counts().get(r.messageId) === 1),
      30_000,
      'the revocations delivered',
    );
    const stored = new Set(await relay.storedIds());
    expect(revocations.every((r) => stored.has(r.messageId))).toBe(true);
    const after = setup.twitch.conduits.notify('stream.online');
    expect(after).toHaveLength(1);
    await waitFor(() => setup!.consumer.counts().has(after[0]!.messageId), 30_000, 'a later notification');

    // Stopped cleanly: whatever the relay had started is over; not one Helix create since start-up.
    relay.process.child.kill('SIGTERM');
    expect(await relay.process.exited).toBe(0);
    expect(setup.creates()).toHaveLength(createdAtStart);
    expect(relay.process.output()).not.toMatch(/recreated stream\.online|could not recreate/);
  });
});
