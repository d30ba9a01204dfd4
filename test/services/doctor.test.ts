import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startConsumer, type StartedConsumer } from '../../examples/consumer/consumer.mjs';
import { addressKind, hostAddresses } from '../../src/cli/commands/doctor/addresses.js';
import { findingOf, findingsNotOk, parseDoctorReport, type DoctorReport } from '../support/doctor-report.js';
import { startDns, type FakeDns } from '../support/challtestsrv.js';
import { BROADCASTER } from '../support/cli-harness.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';
import { FakeTwitch, type FakeSubscription } from '../support/fake-twitch.js';
import { renderSite, SITE_NAME, startNginx, type NginxInstance } from '../support/nginx-fixture.js';
import { freePort, runCli, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createTestCa, type IssuedCert } from '../support/test-ca.js';
import { tempDir } from '../support/temp-dir.js';

const SECRET = 'doctor-test-secret-0123456789';
const PUBLIC_URL = `https://${SITE_NAME}`;
const CALLBACK = `${PUBLIC_URL}/callback`;

/** This host's public address if it has one (then DNS points here), else one behind NAT. */
const A_RECORD = hostAddresses().find((a) => addressKind(a.address) === 'public')?.address ?? '203.0.113.10';

describe('eventsub-relay doctor against the shipped nginx with TLS, the fake Twitch and a real DNS server', () => {
  const dir = tempDir('doctor-');
  const ca = createTestCa(join(dir.path, 'ca'));
  const certDir = join(dir.path, 'live');
  let nginx: NginxInstance | undefined;
  let relay: RelayProcess | undefined;
  let dns: FakeDns;
  let twitch: FakeTwitch;
  let consumer: StartedConsumer;
  let env: Record<string, string>;
  let httpsPort = 0;

  const serve = (cert: IssuedCert, file: 'fullchain' | 'cert' = 'fullchain') => {
    copyFileSync(cert[file], join(certDir, 'fullchain.pem'));
    copyFileSync(cert.key, join(certDir, 'privkey.pem'));
  };
  const config = (extra: unknown[] = []) => {
    const path = join(dir.path, `relay-${Math.random()}.yml`);
    writeFileSync(
      path,
      stringify({
        sinks: [
          { name: 'bot', kind: 'http', url: consumer.url, secret: TEST_WEBHOOK_SECRET },
          { name: 'stream', kind: 'redis-stream', url: 'redis://127.0.0.1:6379' },
          { name: 'bus', kind: 'nats', servers: 'nats://127.0.0.1:4222' },
        ],
        subscriptions: [{ type: 'channel.follow', broadcaster: 'streamer' }, ...extra],
      }),
    );
    return path;
  };
  const subscription = (status: string, type = 'channel.follow'): FakeSubscription => ({
    id: `sub-${type}-${status}`,
    status,
    type,
    version: type === 'channel.follow' ? '2' : '1',
    condition:
      type === 'channel.follow'
        ? { broadcaster_user_id: '1337', moderator_user_id: '1337' }
        : { broadcaster_user_id: '1337' },
    transport: { method: 'webhook', callback: CALLBACK },
    created_at: new Date().toISOString(),
    cost: 1,
  });

  async function doctor(
    extraEnv: Record<string, string> = {},
    args: string[] = [],
  ): Promise<DoctorReport & { code: number }> {
    const result = await runCli(
      [
        'doctor',
        '--json',
        '--ca',
        ca.root,
        '--connect-to',
        `${SITE_NAME}:443:127.0.0.1:${httpsPort}`,
        '--dns-server',
        dns.server,
        ...args,
      ],
      { ...env, ...extraEnv },
      { timeoutMs: 60_000 },
    );
    return { code: result.code, ...parseDoctorReport(result) };
  }
  const find = findingOf;
  const notOk = findingsNotOk;

  beforeAll(async () => {
    mkdirSync(certDir, { recursive: true });
    serve(ca.issue(SITE_NAME));
    dns = await startDns(A_RECORD);
    twitch = await new FakeTwitch().start();
    const token = twitch.addUser(BROADCASTER, ['moderator:read:followers']);
    twitch.subscriptions.push(subscription('enabled'));
    consumer = await startConsumer({ secret: TEST_WEBHOOK_SECRET });
    const port = await freePort();
    env = {
      DATA_DIR: join(dir.path, 'data'),
      STORE_URL: `sqlite:${join(dir.path, 'data', 'relay.sqlite')}`,
      EVENTSUB_SECRET: SECRET,
      PORT: String(port),
      PUBLIC_URL,
      TWURPLE_MOCK_API_PORT: String(twitch.port),
      TWITCH_CLIENT_ID: twitch.clientId,
      TWITCH_CLIENT_SECRET: twitch.clientSecret,
      CONFIG_FILE: config(),
    };
    relay = await startRelayProcess(env);
    expect((await runCli(['auth', 'add', '--access-token', token], env)).code).toBe(0);
    const ports = { http: await freePort(), https: await freePort(), upstream: port };
    httpsPort = ports.https;
    nginx = await startNginx(
      join(dir.path, 'nginx'),
      renderSite('eventsub.conf', ports, { certDir, webroot: join(dir.path, 'www') }),
    );
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    if (relay && relay.child.exitCode === null) {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
    await twitch?.stop();
    await consumer?.close();
    await dns?.stop();
    dir.cleanup();
  });

  it('is all green on a healthy setup, exit 0, and prints ✔ for people', async () => {
    const report = await doctor();
    expect(notOk(report)).toEqual([]);
    expect(report.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'config',
        'store',
        'secret',
        'twitch-app',
        'tokens.1337',
        'scopes.channel.follow.streamer',
        'public-url',
        'tls.handshake',
        'tls.chain',
        'tls.name',
        'tls.expiry',
        'challenge.local',
        'challenge.public',
        'twitch',
        'twitch.sub-channel.follow-enabled',
        'sinks.bot',
        'sinks.stream',
        'sinks.bus',
        'deliveries',
      ]),
    );
    expect(find(report, 'public-url').detail).toContain(`${SITE_NAME} resolves to ${A_RECORD}`);
    expect(find(report, 'tls.chain').detail).toBe(
      `complete and trusted: ${SITE_NAME} ← eventsub-relay test intermediate ← eventsub-relay test root`,
    );
    expect(find(report, 'challenge.public').detail).toBe(
      `${CALLBACK} echoed a signed challenge exactly (TLS, nginx, relay: the way Twitch comes)`,
    );
    const text = await runCli(
      [
        'doctor',
        '--ca',
        ca.root,
        '--connect-to',
        `${SITE_NAME}:443:127.0.0.1:${httpsPort}`,
        '--dns-server',
        dns.server,
      ],
      env,
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^✔ configuration: environment valid; .*: 3 sinks, 1 subscription$/m);
    expect(text.stdout).toMatch(/^✔ TLS certificate expiry: valid until \d{4}-\d\d-\d\d \(5\d days\)$/m);
    expect(text.stdout).toMatch(/\n\nall \d+ checks passed\n$/);
    expect(text.stdout).not.toContain(SECRET);
  });

  it.each([
    [
      'an expired certificate',
      () => serve(ca.issue(SITE_NAME, { start: '20200101000000Z', end: '20200201000000Z' })),
      'tls.expiry',
      /^expired on 2020-02-01 \(\d+ days ago\): Twitch refuses it$/,
      /sudo certbot renew/,
    ],
    [
      'a certificate for another name',
      () => serve(ca.issue('other.example.org')),
      'tls.name',
      /^is for other\.example\.org, not eventsub\.example\.com$/,
      /certbot certonly --webroot -w \/var\/www\/eventsub-acme -d eventsub\.example\.com/,
    ],
    [
      'a certificate served without its intermediate',
      () => serve(ca.issue(SITE_NAME), 'cert'),
      'tls.chain',
      /^incomplete: the server sends its certificate without the intermediate/,
      /fullchain\.pem/,
    ],
  ])('%s → ✗ with the fix, exit 1', async (_label, install, id, detail, fix) => {
    install();
    nginx!.reload();
    try {
      const report = await doctor();
      expect(report.code).toBe(1);
      const finding = find(report, id);
      expect(finding).toMatchObject({ status: 'fail', hard: true });
      expect(finding.detail).toMatch(detail);
      expect(finding.fix).toMatch(fix);
      expect(notOk(report).map((c) => c.id)).toEqual([id]);
    } finally {
      serve(ca.issue(SITE_NAME));
      nginx!.reload();
    }
  });

  it('a subscription that needs a scope the broadcaster has not granted → ✗ with the auth login that keeps every scope', async () => {
    const report = await doctor({
      CONFIG_FILE: config([{ type: 'channel.cheer', broadcaster: 'streamer' }]),
    });
    expect(report.code).toBe(1);
    const finding = find(report, 'scopes.channel.cheer.streamer');
    expect(finding.status).toBe('fail');
    expect(finding.detail).toContain('missing bits:read');
    expect(finding.fix).toContain('`eventsub-relay auth login --scopes moderator:read:followers,bits:read`');
    expect(notOk(report).map((c) => c.id)).toEqual(['scopes.channel.cheer.streamer']);
  });

  it('a subscription Twitch revoked, one whose challenge failed, one still pending, one missing → each with its fix', async () => {
    twitch.subscriptions.push(
      subscription('authorization_revoked', 'stream.online'),
      subscription('webhook_callback_verification_failed', 'stream.offline'),
      subscription('webhook_callback_verification_pending', 'channel.update'),
    );
    try {
      const report = await doctor({
        CONFIG_FILE: config([
          { type: 'channel.raid', broadcaster: 'streamer', condition: { to_broadcaster_user_id: '1337' } },
        ]),
      });
      expect(report.code).toBe(1);
      const revoked = find(report, 'twitch.sub-stream.online-authorization_revoked');
      expect(revoked.status).toBe('fail');
      expect(revoked.detail).toContain('revoked this client id');
      expect(revoked.fix).toContain('eventsub-relay sync');
      const failed = find(report, 'twitch.sub-stream.offline-webhook_callback_verification_failed');
      expect(failed.status).toBe('fail');
      expect(failed.fix).toContain('`eventsub-relay sync`');
      expect(find(report, 'twitch.sub-channel.update-webhook_callback_verification_pending').status).toBe(
        'warn',
      );
      const missing = find(report, 'twitch.missing.channel.raid');
      expect(missing).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('`eventsub-relay sync` creates it'),
      });
    } finally {
      twitch.subscriptions.splice(1);
    }
  });

  it('a wrong secret: the relay and the path through nginx both reject the signed challenge', async () => {
    const report = await doctor({ EVENTSUB_SECRET: 'not-the-relays-secret-42' });
    expect(report.code).toBe(1);
    expect(find(report, 'challenge.local')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        "rejects a challenge signed with this command's secret (EVENTSUB_SECRET)",
      ),
      fix: expect.stringContaining('sudo eventsub-relay doctor'),
    });
    expect(find(report, 'challenge.public').status).toBe('fail');
  });

  it('PUBLIC_URL resolving to a private address → ✗; an unreachable public address → the hairpin NAT hint', async () => {
    await dns.setA('private.example.com', ['192.168.1.20']);
    const privateName = await doctor({ PUBLIC_URL: 'https://private.example.com' });
    expect(find(privateName, 'public-url')).toMatchObject({
      status: 'fail',
      detail:
        'private.example.com resolves to 192.168.1.20 (private): Twitch cannot reach that from the internet',
    });
    // An address that is not this host's and that no TCP connection reaches (multicast: refused at
    // once on any Linux), standing for a router's public address that does not loop back.
    const far = await doctor({}, ['--connect-to', `${SITE_NAME}:443:224.0.0.1:443`, '--timeout', '1000']);
    const publicChallenge = find(far, 'challenge.public');
    expect(publicChallenge.status).toBe('fail');
    expect(publicChallenge.detail).toContain('while the relay itself answers');
    expect(publicChallenge.fix).toContain('hairpin NAT');
    expect(publicChallenge.fix).toContain('test from outside, e.g. mobile data');
    expect(find(far, 'challenge.local').status).toBe('ok');
  });

  it('the relay down: the local challenge fails and nginx answers 502; then nginx down too', async () => {
    relay!.child.kill('SIGTERM');
    await relay!.exited;
    const relayDown = await doctor();
    expect(relayDown.code).toBe(1);
    expect(find(relayDown, 'challenge.local')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^the relay does not answer on 127\.0\.0\.1:\d+ \(nothing listens there\)$/,
      ),
      fix: expect.stringContaining('sudo systemctl start eventsub-relay'),
    });
    expect(find(relayDown, 'challenge.public').detail).toContain(
      'answered 502: nginx is up but gets no answer from the relay behind it',
    );

    await nginx!.stop();
    const nginxDown = await doctor();
    expect(find(nginxDown, 'tls.handshake')).toMatchObject({
      status: 'fail',
      detail: `cannot connect to ${SITE_NAME} at 127.0.0.1:${httpsPort}: nothing listens there`,
      fix: expect.stringContaining('sudo systemctl start nginx'),
    });
    expect(find(nginxDown, 'challenge.public').status).toBe('fail');
  });
});
