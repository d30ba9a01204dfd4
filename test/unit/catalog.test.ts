import { describe, expect, it } from '@jest/globals';
import { CATALOG } from '../../src/twitch/catalog.js';
import {
  authorizingField,
  conditionProblems,
  fillCondition,
  missingScopes,
} from '../../src/twitch/catalog-entry.js';
import { findEntry, scopesForTypes, UnknownTypeError } from '../../src/twitch/catalog-lookup.js';

describe('catalog', () => {
  it('has the 83 type/version rows of the notes, each unique', () => {
    expect(CATALOG).toHaveLength(83);
    expect(new Set(CATALOG.map((e) => `${e.type}@${e.version}`)).size).toBe(83);
  });

  it('says whose authorization each type needs, as data', () => {
    const who = (type: string) => findEntry(type).authorizedBy;
    expect(who('channel.follow')).toBe('moderator');
    expect(who('automod.message.hold')).toBe('moderator');
    expect(who('channel.cheer')).toBe('broadcaster');
    expect(who('channel.subscribe')).toBe('broadcaster');
    expect(who('channel.chat.message')).toBe('user');
    expect(who('user.whisper.message')).toBe('user');
    for (const type of ['stream.online', 'stream.offline', 'channel.update', 'channel.raid', 'user.update']) {
      expect(who(type)).toBe('none');
    }
    for (const type of [
      'user.authorization.grant',
      'user.authorization.revoke',
      'conduit.shard.disabled',
      'extension.bits_transaction.create',
      'drop.entitlement.grant',
    ]) {
      expect(who(type)).toBe('app');
    }
    // user.update has a user_id field but needs nobody's authorization: no guessing from field names.
    expect(authorizingField(findEntry('user.update'))).toBeUndefined();
    expect(authorizingField(findEntry('channel.follow'))).toBe('moderator_user_id');
    expect(authorizingField(findEntry('channel.chat.message'))).toBe('user_id');
    expect(authorizingField(findEntry('channel.ban'))).toBe('broadcaster_user_id');
  });

  it('is consistent: scopes only where a user authorizes, and the authorizing field is a condition field', () => {
    for (const entry of CATALOG) {
      const field = authorizingField(entry);
      if (field) expect(entry.condition.map((f) => f.name)).toContain(field);
      if (entry.authorizedBy === 'none' || entry.authorizedBy === 'app') expect(entry.scopes).toEqual([]);
      else expect(entry.scopes.length).toBeGreaterThan(0);
    }
    expect(CATALOG.filter((e) => e.batching).map((e) => e.type)).toEqual(['drop.entitlement.grant']);
  });

  it('picks the newest version and fills moderator_user_id with the broadcaster', () => {
    const follow = findEntry('channel.follow');
    expect(follow.version).toBe('2');
    expect(fillCondition(follow, '42', {})).toEqual({ broadcaster_user_id: '42', moderator_user_id: '42' });
    expect(fillCondition(findEntry('channel.raid'), '42', {})).toEqual({ to_broadcaster_user_id: '42' });
    expect(fillCondition(findEntry('channel.raid'), '42', { from_broadcaster_user_id: '7' })).toEqual({
      from_broadcaster_user_id: '7',
    });
  });

  it('fills client_id and extension_client_id from our client id, explicit values win', () => {
    expect(fillCondition(findEntry('user.authorization.revoke'), undefined, {}, 'my-client')).toEqual({
      client_id: 'my-client',
    });
    expect(fillCondition(findEntry('extension.bits_transaction.create'), undefined, {}, 'my-client')).toEqual(
      {
        extension_client_id: 'my-client',
      },
    );
    expect(
      fillCondition(findEntry('conduit.shard.disabled'), undefined, { client_id: 'other' }, 'my-client'),
    ).toEqual({ client_id: 'other' });
    expect(fillCondition(findEntry('drop.entitlement.grant'), undefined, {}, 'my-client')).toEqual({});
  });

  it('reports missing and unknown condition fields, and unmet scope groups', () => {
    const follow = findEntry('channel.follow');
    expect(conditionProblems(follow, { broadcaster_user_id: '1', nope: 'x' })).toEqual([
      'missing condition field moderator_user_id',
      'unknown condition field nope (channel.follow knows: broadcaster_user_id, moderator_user_id)',
    ]);
    expect(missingScopes(findEntry('channel.poll.begin'), ['channel:manage:polls'])).toEqual([]);
    expect(missingScopes(findEntry('channel.chat.message'), ['user:read:chat'])).toEqual([['user:bot']]);
    expect(scopesForTypes(['channel.follow', 'stream.online', 'channel.poll.begin'])).toEqual([
      'moderator:read:followers',
      'channel:read:polls',
    ]);
  });

  it('unknown types and versions say what exists', () => {
    expect(() => findEntry('channel.folow')).toThrow(UnknownTypeError);
    expect(() => findEntry('channel.folow')).toThrow('did you mean channel.follow?');
    expect(() => findEntry('nothing.like.it')).toThrow('run `eventsub-relay types` to see every type');
    expect(() => findEntry('channel.follow', '9')).toThrow('channel.follow has version(s) 2');
  });
});
