import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import { startConduitSetup, type ConduitSetup, type ShardRelay } from '../support/conduit-relay.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { findingOf, findingsNotOk, parseDoctorReport } from '../support/doctor-report.js';
import { runCli } from '../support/relay-process.js';

jest.setTimeout(90_000);

describe('eventsub-relay doctor with TRANSPORT=conduit: the conduit, each shard and who holds it', () => {
  let setup: ConduitSetup;
  let relay: ShardRelay;
  let conduitId: string;

  beforeAll(async () => {
    setup = await startConduitSetup({ broadcasters: 2, shards: 2 });
    conduitId = setup.twitch.conduits.create(2).id;
    relay = await setup.start(0, { conduitId });
    await setup.shardEnabled(conduitId, 0);
  });
  afterAll(async () => setup?.close());

  async function doctor(extra: Record<string, string> = {}) {
    const result = await runCli(
      ['doctor', '--timeout', '3000', '--json'],
      {
        DATA_DIR: relay.dir,
        CONFIG_FILE: join(relay.dir, 'eventsub-relay.yml'),
        TRANSPORT: 'conduit',
        CONDUIT_SHARD: '0',
        EVENTSUB_WS_URL: setup.ws.url,
        TWURPLE_MOCK_API_PORT: String(setup.twitch.port),
        TWITCH_CLIENT_ID: setup.twitch.clientId,
        TWITCH_CLIENT_SECRET: setup.twitch.clientSecret,
        FORWARD_URL: setup.consumer.url('/doctor'),
        FORWARD_SECRET: TEST_WEBHOOK_SECRET,
        ...extra,
      },
      { cwd: relay.dir },
    );
    return { code: result.code, ...parseDoctorReport(result) };
  }

  it('shows the conduit, the shard this relay holds (its session) and the one nobody holds, with the fix', async () => {
    const report = await doctor();
    expect(findingOf(report, 'conduit').detail).toBe(
      `${conduitId}: 2 shard(s); this relay serves shard 0 (CONDUIT_SHARD)`,
    );
    const transport = setup.twitch.conduits.conduits.get(conduitId)!.shards[0]!.transport!;
    const held = transport.method === 'websocket' ? transport.session_id : transport.callback;
    expect(findingOf(report, 'conduit.shard.0')).toMatchObject({
      status: 'ok',
      detail: `enabled, WebSocket session ${held}`,
    });
    expect(findingOf(report, 'conduit.shard.1')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('start a relay with TRANSPORT=conduit CONDUIT_SHARD=1'),
    });
    expect(findingOf(report, 'conduit.subscriptions').detail).toBe(
      '3 enabled subscription(s) on the conduit (`eventsub-relay list`)',
    );
    // The webhook-only hops are not needed: nothing public, nothing signed.
    expect(findingOf(report, 'public-url').detail).toBe(
      'not needed: with TRANSPORT=conduit the relay connects out to Twitch (no public address, TLS or callback)',
    );
    expect(report.checks.filter((c) => /^(tls|challenge|helix)/.test(c.id))).toEqual([]);
    // stream.online needs nobody's authorization: the empty token store is a warning, not a failure.
    expect(findingsNotOk(report).map((c) => [c.id, c.status])).toEqual([
      ['tokens', 'warn'],
      ['conduit.shard.1', 'fail'],
    ]);
    expect(report.code).toBe(1);
  });

  it('a CONDUIT_SHARD the conduit does not have is ✗ with the range', async () => {
    const report = await doctor({ CONDUIT_SHARD: '5' });
    expect(findingOf(report, 'conduit')).toMatchObject({
      status: 'fail',
      detail: `${conduitId} has 2 shard(s), CONDUIT_SHARD=5 is not one of them`,
      fix: expect.stringContaining('set CONDUIT_SHARD to 0..1'),
    });
  });
});
