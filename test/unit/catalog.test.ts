import { describe, expect, it } from '@jest/globals';
import { CATALOG } from '../../src/twitch/catalog.js';
import { conditionProblems, fillCondition, missingScopes } from '../../src/twitch/catalog-entry.js';
import { findEntry, scopesForTypes, UnknownTypeError } from '../../src/twitch/catalog-lookup.js';

describe('catalog', () => {
  it('has the 83 type/version rows of the notes, each unique', () => {
    expect(CATALOG).toHaveLength(83);
    expect(new Set(CATALOG.map((e) => `${e.type}@${e.version}`)).size).toBe(83);
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
