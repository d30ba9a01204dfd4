import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TokenStore } from '../../src/auth/token-store.js';
import { loadRelayConfig } from '../../src/config/relay-config.js';
import {
  createRevocationHandler,
  type RevocationSettings,
} from '../../src/subscriptions/revocation-handler.js';
import { findEntry } from '../../src/twitch/catalog-lookup.js';
import type { SubscriptionExternal } from '../../src/twitch/messages.external.js';
import type { SessionPlan } from '../../src/transports/websocket/plan.js';
import { dropFromSessionPlans } from '../../src/transports/websocket/revocations.js';
import { envelopeFrom } from '../support/envelopes.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The one revocation path: the same handler for every stored revocation, whatever transport
 * delivered it. What it logs comes from one advice table; what it does depends on the transport.
 */

const follow = { broadcaster_user_id: '1337', moderator_user_id: '1337' };
const online = { broadcaster_user_id: '1337' };

function revocation(method: 'webhook' | 'websocket', status: string, type = 'channel.follow') {
  const transport =
    method === 'websocket'
      ? { method, session_id: 'AQoQexAWVYKSTIu4ec_2VAxyuhAB' }
      : { method, callback: 'https://relay.example.com/callback' };
  const subscription: SubscriptionExternal = {
    id: `revoked-${method}`,
    status,
    type,
    version: findEntry(type).version,
    condition: type === 'channel.follow' ? follow : online,
    transport,
  };
  return envelopeFrom('revocation.json', { messageType: 'revocation', type, subscription, event: null });
}

let dir: { path: string; cleanup: () => void };
let config: RevocationSettings;
beforeEach(() => {
  dir = tempDir();
  // AUTO_RESUBSCRIBE with credentials: recreation is allowed wherever the transport permits it.
  const loaded = loadRelayConfig({
    DATA_DIR: dir.path,
    EVENTSUB_SECRET: 'revocation-handler-secret',
    AUTO_RESUBSCRIBE: 'true',
    TWITCH_CLIENT_ID: 'client-id',
    TWITCH_CLIENT_SECRET: 'client-secret',
  });
  config = {
    dataDir: loaded.dataDir,
    file: loaded.file,
    twitch: loaded.twitch,
    secrets: ['revocation-handler-secret'],
  };
  new TokenStore(dir.path).save({
    accessToken: 'a',
    refreshToken: 'r',
    scope: ['moderator:read:followers'],
    expiresIn: null,
    obtainmentTimestamp: 0,
    userId: '1337',
    login: 'streamer',
  });
});
afterEach(() => dir.cleanup());

describe('one revocation handler for both transports', () => {
  it('a WebSocket revocation: logged at error with the WebSocket advice, dropped from the session plan, never recreated over Helix', () => {
    const logs = captureLogs();
    const dropped: SubscriptionExternal[] = [];
    const onRevocation = createRevocationHandler(config, logs.logger, {
      dropFromSessionPlan: (sub) => dropped.push(sub),
    });
    const envelope = revocation('websocket', 'version_removed');
    onRevocation(envelope);
    expect(dropped).toEqual([envelope.subscription]);
    expect(logs.lines).toEqual([
      expect.objectContaining({
        level: LEVEL.error,
        transport: 'websocket',
        status: 'version_removed',
        autoResubscribe: false,
        restore:
          'no newer version of channel.follow is known to this eventsub-relay: update it (see `eventsub-relay types`), then restart the relay',
        msg: expect.stringMatching(
          /^Twitch revoked channel\.follow v2 \(version_removed\) on the WebSocket session: /,
        ),
      }),
    ]);
  });

  it('authorization_revoked over WebSocket names the login command to run, then a restart (not sync)', () => {
    const logs = captureLogs();
    createRevocationHandler(config, logs.logger, { dropFromSessionPlan: () => undefined })(
      revocation('websocket', 'authorization_revoked'),
    );
    expect(logs.lines[0]!.restore).toBe(
      'log in as streamer, run `eventsub-relay auth login --scopes moderator:read:followers`, then restart the relay',
    );
  });

  it('a webhook revocation is never taken out of a session plan; its advice is sync', () => {
    const logs = captureLogs();
    const dropped: SubscriptionExternal[] = [];
    const onRevocation = createRevocationHandler(config, logs.logger, {
      dropFromSessionPlan: (sub) => dropped.push(sub),
    });
    onRevocation(revocation('webhook', 'authorization_revoked'));
    expect(dropped).toEqual([]);
    expect(logs.lines).toEqual([
      expect.objectContaining({
        level: LEVEL.error,
        transport: 'webhook',
        autoResubscribe: false,
        restore:
          'eventsub-relay auth login --scopes moderator:read:followers (logged in as streamer), then eventsub-relay sync',
      }),
    ]);
  });

  it('notifications are not its business', () => {
    const logs = captureLogs();
    createRevocationHandler(config, logs.logger)(envelopeFrom());
    expect(logs.lines).toEqual([]);
  });
});

describe('dropFromSessionPlans (the WebSocket transport’s action)', () => {
  it('takes the revoked type+condition out of the plan that has it, and nothing else', () => {
    const prepared = (type: string, condition: Record<string, string>) => ({
      entry: findEntry(type),
      wanted: { type, version: findEntry(type).version, condition },
    });
    const plans = [
      {
        user: { id: '1337', login: 'streamer' },
        subscriptions: [prepared('channel.follow', follow), prepared('stream.online', online)],
        estimatedCost: 0,
        loginCommand: 'eventsub-relay auth login --scopes moderator:read:followers',
      },
    ] satisfies SessionPlan[];
    dropFromSessionPlans(plans, revocation('websocket', 'authorization_revoked').subscription);
    expect(plans[0]!.subscriptions.map((s) => s.wanted.type)).toEqual(['stream.online']);
  });
});
