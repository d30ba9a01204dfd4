import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeTwitch } from '../support/fake-twitch.js';
import { startTestRelay } from '../support/in-process-relay.js';
import { signedRequest } from '../support/sign.js';
import { tempDir } from '../support/temp-dir.js';

const SECRET = 'revocation-test-secret-123';
const CALLBACK = 'https://relay.example.com/callback';

let twitch: FakeTwitch;
let dir: { path: string; cleanup: () => void };
/** The relay runs in this process: what it does with a revocation is under test, not the process. */
type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay | undefined;

beforeEach(async () => {
  // PUBLIC_URL here is a name nobody serves: no challenge, subscriptions stay pending.
  twitch = await new FakeTwitch({ callbacks: false }).start();
  dir = tempDir();
});
afterEach(async () => {
  await relay?.close();
  relay = undefined;
  // @twurple reads TWURPLE_MOCK_API_PORT from process.env itself (start sets it).
  delete process.env.TWURPLE_MOCK_API_PORT;
  await twitch.stop();
  dir.cleanup();
});

function start(extra: Record<string, string> = {}): Promise<Relay> {
  process.env.TWURPLE_MOCK_API_PORT = String(twitch.port);
  return startTestRelay(
    {
      DATA_DIR: dir.path,
      EVENTSUB_SECRET: SECRET,
      TWURPLE_MOCK_API_PORT: String(twitch.port),
      TWITCH_CLIENT_ID: twitch.clientId,
      TWITCH_CLIENT_SECRET: twitch.clientSecret,
      PUBLIC_URL: 'https://relay.example.com',
      ...extra,
    },
    { captureLogs: true },
  );
}

function revocation(
  status: string,
  type = 'stream.online',
  version = '1',
  condition: Record<string, string> = { broadcaster_user_id: '1337' },
) {
  return {
    subscription: {
      id: `revoked-${Math.random()}`,
      status,
      type,
      version,
      cost: 0,
      condition,
      transport: { method: 'webhook', callback: CALLBACK },
      created_at: '2026-01-01T00:00:00Z',
    },
  };
}

async function send(target: Relay, payload: unknown): Promise<number> {
  const request = signedRequest(SECRET, payload, { messageType: 'revocation' });
  const response = await fetch(`${target.url}/callback`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return response.status;
}

/** Waits until the relay has logged a line containing `text` (the test's own timeout bounds it). */
async function logged(target: Relay, text: string): Promise<void> {
  while (!target.logText().includes(text)) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('revocations in the running service', () => {
  it('notification_failures_exceeded with AUTO_RESUBSCRIBE=true: logs at error with the command, recreates once (rate-limited)', async () => {
    relay = await start({ AUTO_RESUBSCRIBE: 'true' });
    expect(await send(relay, revocation('notification_failures_exceeded'))).toBe(204);
    await logged(relay, 'recreated stream.online v1');
    expect(relay.logText()).toMatch(
      /"level":50.*Twitch revoked stream.online v1 \(notification_failures_exceeded\).*To restore it: eventsub-relay sync once PUBLIC_URL\/callback answers/,
    );
    const [create] = twitch.eventSubRequests('POST');
    expect(JSON.parse(create!.body)).toMatchObject({
      type: 'stream.online',
      version: '1',
      condition: { broadcaster_user_id: '1337' },
      transport: { callback: CALLBACK, secret: SECRET },
    });

    expect(await send(relay, revocation('notification_failures_exceeded'))).toBe(204);
    await logged(relay, 'not recreating stream.online automatically again so soon');
    expect(twitch.eventSubRequests('POST')).toHaveLength(1);
    expect(relay.logText()).not.toContain(SECRET);
  });

  it('version_removed recreates with the newest version and fills the new condition fields', async () => {
    relay = await start({ AUTO_RESUBSCRIBE: 'true' });
    expect(await send(relay, revocation('version_removed', 'channel.follow', '1'))).toBe(204);
    await logged(relay, 'recreated channel.follow v2');
    expect(JSON.parse(twitch.eventSubRequests('POST')[0]!.body)).toMatchObject({
      version: '2',
      condition: { broadcaster_user_id: '1337', moderator_user_id: '1337' },
    });
  });

  it('authorization_revoked: logs the auth login command and recreates nothing', async () => {
    relay = await start({ AUTO_RESUBSCRIBE: 'true' });
    expect(await send(relay, revocation('authorization_revoked', 'channel.follow', '2'))).toBe(204);
    await logged(relay, 'Twitch revoked channel.follow v2 (authorization_revoked)');
    expect(relay.logText()).toContain(
      'To restore it: eventsub-relay auth login --scopes moderator:read:followers (logged in as that user), then eventsub-relay sync',
    );
    expect(twitch.requests).toHaveLength(0);
  });

  it('without AUTO_RESUBSCRIBE: logs the command, calls nothing', async () => {
    relay = await start();
    expect(await send(relay, revocation('notification_failures_exceeded'))).toBe(204);
    await logged(relay, 'To restore it: eventsub-relay sync');
    expect(relay.logText()).toContain('"autoResubscribe":false');
    expect(twitch.requests).toHaveLength(0);
  });
});
