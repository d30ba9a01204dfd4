import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenStore } from '../../src/auth/token-store.js';
import { loadRelayConfig, type RelayConfig } from '../../src/config/relay-config.js';
import { restoreAdvice } from '../../src/subscriptions/restore-advice.js';
import { adviceForRevocation, explainRevocation } from '../../src/twitch/revocation-reasons.js';
import { tempDir } from '../support/temp-dir.js';

const follow = {
  type: 'channel.follow',
  version: '2',
  condition: { broadcaster_user_id: '1337', moderator_user_id: '4242' },
};
const online = { type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1337' } };

describe('revocation advice per status', () => {
  it('authorization_revoked: auth login with every scope the user needs (as them), then sync', () => {
    const advice = explainRevocation('authorization_revoked', follow, {
      loginScopes: ['moderator:read:followers', 'bits:read'],
      login: 'mod',
    });
    expect(advice.what).toBe(
      "mod (4242) in moderator_user_id revoked this client id's authorization (disconnected the app or changed their password), which ends every subscription they authorized",
    );
    expect(advice.restore).toBe(
      'eventsub-relay auth login --scopes moderator:read:followers,bits:read (logged in as mod), then eventsub-relay sync',
    );
  });

  it('user_removed: the user is gone, nothing to recreate; remove them from the config', () => {
    const advice = explainRevocation('user_removed', online);
    expect(advice.what).toContain('user 1337 in broadcaster_user_id no longer exists on Twitch');
    expect(advice.restore).toBe(
      "nothing to recreate: remove the entries naming user 1337 from the config file's subscriptions, then eventsub-relay sync --prune",
    );
    expect(advice.restore).not.toContain('auth login');
  });

  it('notification_failures_exceeded: make the callback reachable, then sync (or AUTO_RESUBSCRIBE)', () => {
    const advice = explainRevocation('notification_failures_exceeded', online);
    expect(advice.what).toContain('answered too slowly or with errors');
    expect(advice.restore).toMatch(
      /^eventsub-relay sync once PUBLIC_URL\/callback answers from the internet again/,
    );
    expect(advice.restore).toContain('AUTO_RESUBSCRIBE=true');
    expect(advice.restore).not.toContain('auth login');
  });

  it('version_removed: sync recreates the newest version; no newer one known → update', () => {
    const retired = { ...follow, version: '1' };
    expect(explainRevocation('version_removed', retired).restore).toBe(
      'eventsub-relay sync (recreates it as v2; if the config file entry pins version "1", change it to "2" or remove it)',
    );
    expect(explainRevocation('version_removed', follow).restore).toContain(
      'no newer version of channel.follow is known to this eventsub-relay: update it',
    );
  });

  it('beta_maintenance, moderator_removed, chat_user_banned and unknown statuses each get their own advice', () => {
    expect(explainRevocation('beta_maintenance', online).restore).toBe(
      'eventsub-relay sync later, when the maintenance is over',
    );
    const moderator = explainRevocation('moderator_removed', follow, {
      loginScopes: ['moderator:read:followers'],
    });
    expect(moderator.what).toBe(
      "user 4242 in moderator_user_id is no longer one of the broadcaster's moderators",
    );
    expect(moderator.restore).toContain('eventsub-relay auth login --scopes moderator:read:followers');
    expect(moderator.restore).toContain('condition.moderator_user_id');
    const chat = {
      type: 'channel.chat.message',
      version: '1',
      condition: { broadcaster_user_id: '1', user_id: '9' },
    };
    expect(explainRevocation('chat_user_banned', chat).what).toBe(
      "user 9 in user_id was banned from the broadcaster's chat",
    );
    const unknown = explainRevocation('something_new', online);
    expect(unknown.what).toBe('Twitch revoked it with status something_new');
    expect(unknown.restore).toBe(
      'check it with `eventsub-relay list`, then eventsub-relay sync to recreate it',
    );
  });

  it('over WebSocket the same table: the same meaning, restored by a new session instead of sync', () => {
    const ws = (status: string, sub = online, hints = {}) =>
      explainRevocation(status, sub, hints, 'websocket');
    const revoked = ws('authorization_revoked', follow, {
      loginScopes: ['moderator:read:followers'],
      login: 'mod',
    });
    expect(revoked.what).toBe(explainRevocation('authorization_revoked', follow, { login: 'mod' }).what);
    expect(revoked.restore).toBe(
      'log in as mod, run `eventsub-relay auth login --scopes moderator:read:followers`, then restart the relay',
    );
    expect(ws('user_removed').restore).toBe(
      "nothing to recreate: remove the entries naming user 1337 from the config file's subscriptions",
    );
    expect(ws('version_removed', { ...follow, version: '1' }).restore).toBe(
      'set version "2" in the config file entry (or remove its version: the newest is used), then restart the relay',
    );
    expect(ws('beta_maintenance').restore).toBe('restart the relay later, when the maintenance is over');
    expect(ws('chat_user_banned').restore).toMatch(/, then restart the relay$/);
    expect(ws('something_new').restore).toBe(
      'restart the relay to create it again; if it is revoked again, check it with `eventsub-relay list`',
    );
    for (const status of ['authorization_revoked', 'user_removed', 'version_removed', 'moderator_removed']) {
      expect(ws(status, follow).restore).not.toContain('eventsub-relay sync');
    }
  });

  it('on a conduit: `sync` creates it on the conduit again; never "AUTO_RESUBSCRIBE does it"', () => {
    const conduit = (status: string, sub = online) => explainRevocation(status, sub, {}, 'conduit');
    expect(conduit('notification_failures_exceeded').restore).toBe(
      "eventsub-relay sync (it creates the subscription on the conduit again) once the relays serving the conduit's shards run again (`eventsub-relay doctor` shows each shard)",
    );
    expect(conduit('authorization_revoked', follow).restore).toBe(
      'eventsub-relay auth login --scopes moderator:read:followers (logged in as that user), then eventsub-relay sync (it creates the subscription on the conduit again)',
    );
    expect(conduit('something_new').restore).toBe(
      'check it with `eventsub-relay list`, then eventsub-relay sync to recreate it on the conduit',
    );
    expect(conduit('conduit_deleted').what).toContain('Twitch deleted the conduit this subscription was on');
    expect(conduit('conduit_deleted').restore).toContain('run `eventsub-relay sync` to create a new conduit');
    for (const status of ['notification_failures_exceeded', 'version_removed', 'authorization_revoked'])
      expect(conduit(status).restore).not.toContain('AUTO_RESUBSCRIBE');
  });

  it('adviceForRevocation(status) alone still reads as a whole sentence', () => {
    expect(adviceForRevocation('authorization_revoked')).toBe(
      "the user in the condition revoked this client id's authorization (disconnected the app or changed their password), which ends every subscription they authorized; to restore it: eventsub-relay auth login (logged in as that user), then eventsub-relay sync",
    );
    expect(adviceForRevocation(undefined)).toContain('Twitch revoked it with status unknown');
  });
});

describe('restoreAdvice (the service: stored tokens and the config file make it exact)', () => {
  let dir: { path: string; cleanup: () => void };
  let config: RelayConfig;
  beforeEach(() => {
    dir = tempDir();
    writeFileSync(
      join(dir.path, 'eventsub-relay.yml'),
      'subscriptions:\n  - { type: channel.cheer, broadcaster: streamer }\n  - { type: channel.subscribe, broadcaster: other }\n',
    );
    config = loadRelayConfig({
      DATA_DIR: dir.path,
      EVENTSUB_SECRET: 'a-test-secret-1234567890',
      CONFIG_FILE: join(dir.path, 'eventsub-relay.yml'),
    });
    new TokenStore(dir.path).save({
      accessToken: 'a',
      refreshToken: null,
      scope: ['moderator:read:followers'],
      expiresIn: null,
      obtainmentTimestamp: 0,
      userId: '1337',
      login: 'streamer',
    });
  });
  afterEach(() => dir.cleanup());

  it('authorization_revoked names the login and the union of stored, needed and configured scopes', () => {
    const sub = { ...follow, condition: { broadcaster_user_id: '1337', moderator_user_id: '1337' } };
    const advice = restoreAdvice(config, sub as never, 'authorization_revoked');
    expect(advice.what).toContain('streamer (1337) in moderator_user_id');
    expect(advice.restore).toBe(
      'eventsub-relay auth login --scopes moderator:read:followers,bits:read (logged in as streamer), then eventsub-relay sync',
    );
  });

  it('a user with nothing stored still gets the scopes the type needs', () => {
    const advice = restoreAdvice(config, follow as never, 'authorization_revoked');
    expect(advice.restore).toBe(
      'eventsub-relay auth login --scopes moderator:read:followers (logged in as that user), then eventsub-relay sync',
    );
  });
});
