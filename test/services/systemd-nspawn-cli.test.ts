/**
 * /usr/local/bin/eventsub-relay, the CLI wrapper deploy/install.sh installs, used as docs/deploy.md
 * says (`sudo eventsub-relay auth login --device …`, `subscribe … --broadcaster`, `list`,
 * `events list`) against the relay install.sh installed and started under systemd in
 * systemd-nspawn (see systemd-nspawn.test.ts for the container). Twitch is the fake from
 * test/support/fake-twitch.ts in this process, reachable because the container shares the host's
 * network; its port is the one extra line (TWURPLE_MOCK_API_PORT) in /etc/eventsub-relay/env.
 * The wrapper runs from a folder whose .env points at another data dir and secret: it must ignore it,
 * so that what the CLI registers with Twitch is what the service verifies with.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FakeTwitch } from '../support/fake-twitch.js';
import { bootRunningRelay, STATE_DIR, WRAPPER, type RelayMachine } from '../support/relay-machine.js';
import { fixture, followNotification, signedRequest } from '../support/sign.js';

const BROADCASTER = { id: '1337', login: 'streamer' };
let twitch: FakeTwitch;
let relay: RelayMachine;
/** The wrapper as root, from /tmp/decoy (whose .env must be ignored); async: the fake lives here. */
const cli = (...args: string[]) =>
  relay.machine.execAsync(['sh', '-c', 'cd /tmp/decoy && exec "$@"', 'sh', WRAPPER, ...args], 30_000);
const post = (req: { headers: Record<string, string>; body: string }) =>
  fetch(`${relay.base}/callback`, { method: 'POST', headers: req.headers, body: req.body });
const serviceUid = () => Number(relay.machine.exec(['id', '-u', 'eventsub-relay']).stdout.trim());

beforeAll(async () => {
  // PUBLIC_URL here is a name nobody serves: no challenge, subscriptions stay pending.
  twitch = await new FakeTwitch({ callbacks: false }).start();
  relay = await bootRunningRelay({
    installArgs: ['--twitch-client-id', twitch.clientId, '--twitch-client-secret', twitch.clientSecret],
    extraEnv: { TWURPLE_MOCK_API_PORT: String(twitch.port) },
  });
  relay.machine.exec([
    'sh',
    '-c',
    'mkdir -p /tmp/decoy && printf "DATA_DIR=/tmp/decoy/data\\nEVENTSUB_SECRET=decoy-secret-0123456789\\n" > /tmp/decoy/.env',
  ]);
}, 300_000);

afterAll(async () => {
  await relay?.machine.destroy();
  await twitch?.stop();
}, 20_000);

describe('the eventsub-relay CLI wrapper: the same secret, tokens and store as the service', () => {
  let subscribedSecret = '';
  it('`auth login --device` stores the broadcaster token in StateDirectory, owned by the service user', async () => {
    twitch.addUser(BROADCASTER, ['moderator:read:followers'], 'device-access');
    twitch.devicePolls = ['granted'];
    const login = await cli('auth', 'login', '--device', '--types', 'channel.follow,stream.online');
    expect(login.stderr).not.toContain('Error');
    expect(login.status).toBe(0);
    expect(login.stdout).toContain('ABCD-EFGH');
    const token = statSync(join(relay.machine.root, STATE_DIR, 'tokens', '1337.json'));
    expect({ uid: token.uid, mode: token.mode & 0o777 }).toEqual({ uid: serviceUid(), mode: 0o600 });
  });

  it('`subscribe channel.follow --broadcaster` registers PUBLIC_URL/callback with the service secret', async () => {
    const result = await cli('subscribe', 'channel.follow', '--broadcaster', BROADCASTER.login);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [create] = twitch.eventSubRequests('POST');
    const body = JSON.parse(create!.body) as { transport: { callback: string; secret: string } };
    expect(body.transport.callback).toBe('https://eventsub.example.com/callback');
    subscribedSecret = body.transport.secret;
    expect(subscribedSecret).toBe(relay.envValue('EVENTSUB_SECRET'));
    const list = await cli('list');
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('channel.follow');
  });

  it("so the service answers Twitch's challenge for it (200, not 403), and `events list` shows what it stored", async () => {
    const challenge = fixture('challenge.json') as { challenge: string };
    const res = await post(
      signedRequest(subscribedSecret, challenge, { messageType: 'webhook_callback_verification' }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(challenge.challenge);
    const first = signedRequest(subscribedSecret, followNotification());
    expect((await post(first)).status).toBe(204);
    const forged = signedRequest('decoy-secret-0123456789', followNotification());
    expect((await post(forged)).status).toBe(403);
    const listed = await cli('events', 'list', '--json');
    expect(listed.status).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((e) => e.id)).toEqual([first.messageId]);
  });

  it('files the CLI wrote in StateDirectory belong to the service user, not root', () => {
    const found = relay.machine.exec(['find', STATE_DIR, '!', '-user', 'eventsub-relay']);
    expect(found).toMatchObject({ status: 0, stdout: '' });
  });

  it('refuses to run as another user, saying to use sudo', () => {
    const r = relay.machine.exec(['runuser', '-u', 'nobody', '--', WRAPPER, 'types']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('run it with sudo');
  });
});
