import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startConsumer } from '../../examples/consumer/consumer.mjs';
import type { Finding } from '../../src/cli/commands/doctor/check.js';
import { useCliHarness } from '../support/cli-harness.js';
import { FAST_RETRY, TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { startTestRelay, TEST_SECRET } from '../support/in-process-relay.js';
import { freePort } from '../support/relay-process.js';
import { followNotification, postSigned } from '../support/sign.js';
import { waitFor } from '../support/wait-for.js';

interface Report {
  ok: boolean;
  checks: Finding[];
}

describe('eventsub-relay doctor, without nginx', () => {
  const h = useCliHarness();
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function doctor(
    extra: Record<string, string> = {},
  ): Promise<Report & { code: number; stderr: string }> {
    const result = await h.cli(['doctor', '--json', '--timeout', '2000'], extra);
    return { code: result.code, stderr: result.stderr, ...(JSON.parse(result.stdout) as Report) };
  }
  const find = (report: Report, id: string) => report.checks.find((check) => check.id === id);

  it('where no relay ever ran: says there is no store, creates nothing, exits 1', async () => {
    const dataDir = join(h.dir, 'not-here');
    // STORE_URL unset, on PostgreSQL runs too: the default SQLite file in DATA_DIR.
    const report = await doctor({ DATA_DIR: dataDir, EVENTSUB_SECRET: '', STORE_URL: '' });
    expect(report.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(find(report, 'store')).toMatchObject({
      status: 'fail',
      hard: true,
      detail: `no eventsub-relay store at SQLite not-here/eventsub-relay.sqlite (DATA_DIR=${dataDir}, STORE_URL unset): no relay has stored anything there (doctor created nothing)`,
    });
    expect(find(report, 'secret')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('none yet'),
    });
    expect(find(report, 'deliveries')).toMatchObject({ status: 'skip', hard: false });
    expect(readdirSync(h.dir)).toEqual([]);
  });

  it('a configuration the relay would refuse: ✗ with the path and "did you mean"; what depends on it is skipped', async () => {
    const file = join(h.dir, 'relay.yml');
    writeFileSync(file, 'sink:\n  - { name: bot, kind: log }\n');
    const report = await doctor({ CONFIG_FILE: file });
    expect(find(report, 'config')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^sink: unknown top-level key in .*relay\.yml; did you mean "sinks"\?/),
    });
    for (const id of ['store', 'secret', 'twitch-app', 'public-url', 'challenge', 'sinks']) {
      expect(find(report, id)?.status).toBe('skip');
    }
    expect(report.code).toBe(1);
  });

  it.each([
    [
      { sinks: [{ name: 'bot', kind: 'log', filter: { types: ['channel.folow'] } }] },
      'sinks[0].filter.types[0]',
    ],
    [{ streams: [{ name: 'overlay', filter: { types: ['channel.folow'] } }] }, 'streams[0].filter.types[0]'],
    [{ subscriptions: [{ type: 'channel.folow', broadcaster: 'me' }] }, 'subscriptions[0].type'],
  ])('a misspelled event type (%j) is ✗ naming %s and the type meant', async (content, path) => {
    const file = join(h.dir, 'relay.yml');
    writeFileSync(file, stringify(content));
    const report = await doctor({ CONFIG_FILE: file });
    expect(find(report, 'config')).toMatchObject({
      status: 'fail',
      detail: `${path}: unknown EventSub type "channel.folow"; did you mean "channel.follow"? (\`eventsub-relay types\` lists them)`,
    });
    expect(report.code).toBe(1);
  });

  it('a wrong TWITCH_CLIENT_SECRET: ✗ with what to do at dev.twitch.tv', async () => {
    const report = await doctor({ TWITCH_CLIENT_SECRET: 'not-the-secret' });
    expect(find(report, 'twitch-app')).toMatchObject({
      status: 'fail',
      detail: 'client id fake-client-id: no app access token',
      fix: expect.stringContaining('Twitch rejected TWITCH_CLIENT_SECRET'),
    });
    expect(find(report, 'tokens')?.status).toBe('skip');
    expect(find(report, 'twitch')?.status).toBe('skip');
  });

  it('unreachable sinks are ✗; dead deliveries are a warning with the replay command; the exit code follows the hard checks', async () => {
    const failing = await startConsumer({ secret: TEST_WEBHOOK_SECRET, respond: () => 500 });
    cleanups.push(() => failing.close());
    const closed = await freePort();
    const configFile = join(h.dir, 'sinks.yml');
    writeFileSync(
      configFile,
      stringify({
        sinks: [
          { name: 'bot', kind: 'http', url: failing.url, secret: TEST_WEBHOOK_SECRET, retry: FAST_RETRY },
          { name: 'gone', kind: 'http', url: `http://127.0.0.1:${closed}/hook`, secret: TEST_WEBHOOK_SECRET },
          { name: 'stream', kind: 'redis-stream', url: `redis://127.0.0.1:${closed}` },
        ],
      }),
    );
    const relay = await startTestRelay({ DATA_DIR: h.dir, CONFIG_FILE: configFile });
    cleanups.push(() => relay.close());
    const { messageId } = await postSigned(relay.url, TEST_SECRET, followNotification());
    await waitFor(async () => (await relay.store.getEvent(messageId))?.deliveries[0]?.status === 'dead');

    const report = await doctor({
      CONFIG_FILE: configFile,
      EVENTSUB_SECRET: TEST_SECRET,
      PORT: String(relay.port),
      ...(relay.config.store.url.startsWith('postgres') && { STORE_URL: relay.config.store.url }),
    });
    // A passing hard check is still hard: hardness belongs to the check, not to its outcome.
    expect(find(report, 'sinks.bot')).toMatchObject({ status: 'ok', hard: true });
    expect(find(report, 'sinks.gone')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`http://127.0.0.1:${closed}/hook does not answer`),
      fix: expect.stringContaining('start the consumer'),
    });
    expect(find(report, 'sinks.stream')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('start Redis'),
    });
    expect(find(report, 'deliveries.bot')).toMatchObject({
      status: 'warn',
      hard: false,
      detail: 'none pending, 1 dead: they used up their retry schedule',
      fix: expect.stringContaining('`eventsub-relay events replay --status dead --sink bot`'),
    });
    expect(find(report, 'deliveries.gone')?.detail).toMatch(/^1 pending \(the oldest for \d+ min\), 0 dead$/);
    expect(find(report, 'challenge.local')).toMatchObject({ status: 'ok' });
    expect(find(report, 'store')?.detail).toMatch(/: \d+(\.\d)? (KiB|MiB), 1 event; takes writes$/);
    expect(report.code).toBe(1);
  });

  it('TRANSPORT=websocket: no public address, TLS, callback or secret to check', async () => {
    const report = await doctor({ TRANSPORT: 'websocket' });
    expect(find(report, 'public-url')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('not needed: with TRANSPORT=websocket'),
    });
    expect(find(report, 'secret')?.status).toBe('ok');
    expect(report.checks.filter((c) => c.id.startsWith('tls') || c.id.startsWith('challenge'))).toEqual([]);
    expect(find(report, 'twitch')?.detail).toContain('TRANSPORT=websocket');
  });

  it('prints one line per check for people, the fix under each ✗, and a summary', async () => {
    const result = await h.cli(['doctor', '--timeout', '2000'], { DATA_DIR: join(h.dir, 'nothing') });
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^✔ configuration: environment valid; no config file/);
    expect(result.stdout).toMatch(/^✗ store: no eventsub-relay store at .*\n {4}fix: /m);
    expect(result.stdout).toMatch(/^– deliveries: needs the store$/m);
    expect(result.stdout).toMatch(
      /\n\n\d+ problems \(✗\).*: fix each ✗, then run `eventsub-relay doctor` again\n$/,
    );
  });
});
