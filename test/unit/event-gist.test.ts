import { describe, expect, it } from '@jest/globals';
import { broadcasterOf, eventGist } from '../../src/twitch/event-gist.js';
import { envelopeFrom } from '../support/envelopes.js';

describe("eventGist: what happened, in a few words, from Twitch's documented payloads", () => {
  it.each([
    ['notification.channel.follow.v2.json', 'Cool_User followed'],
    ['notification.channel.subscribe.v1.json', 'Cool_User subscribed at tier 1'],
    ['notification.channel.subscription.gift.v1.json', 'Cool_User gifted 2 subs at tier 1'],
    ['notification.channel.cheer.v1.json', 'Cool_User cheered 1000 bits'],
    ['notification.channel.raid.v1.json', 'Cool_User raided Cooler_User with 9001 viewers'],
    ['notification.channel.ban.v1.json', 'Mod_User timed out Cool_User'],
    [
      'notification.channel.channel_points_custom_reward_redemption.add.v1.json',
      'Cooler_User redeemed "title" for 100 points',
    ],
    ['notification.channel.chat.message.v1.json', 'viewer32 wrote in chat'],
    ['notification.stream.online.v1.json', 'stream went live (live)'],
    ['notification.stream.offline.v1.json', 'stream went offline'],
    ['notification.user.authorization.revoke.v1.json', "Cool_User revoked this client id's authorization"],
    ['revocation.json', 'Twitch revoked the subscription: authorization_revoked'],
  ])('%s → %s', (name, gist) => {
    expect(eventGist(envelopeFrom(name))).toBe(gist);
  });

  it('says who the broadcaster is, by name and id, else by the condition id', () => {
    expect(broadcasterOf(envelopeFrom('notification.channel.follow.v2.json'))).toBe('Cooler_User (1337)');
    expect(broadcasterOf(envelopeFrom('revocation.json'))).toBe('12826');
  });

  it('keeps the chat text out, counts in the singular, and falls back to who did it', () => {
    const chat = envelopeFrom('notification.channel.chat.message.v1.json');
    expect(eventGist(chat)).not.toContain('Hi chat');
    const cheer = envelopeFrom('notification.channel.cheer.v1.json');
    expect(eventGist({ ...cheer, event: { ...cheer.event, bits: 1, is_anonymous: true } })).toBe(
      'anonymous cheered 1 bit',
    );
    const follow = envelopeFrom('notification.channel.follow.v2.json');
    expect(eventGist({ ...follow, type: 'channel.something.new' })).toBe('by Cool_User');
    expect(eventGist({ ...follow, type: 'channel.something.new', event: {} })).toBe('channel.something.new');
  });

  it('a name with control characters cannot forge a second log line, and long text is cut', () => {
    const follow = envelopeFrom('notification.channel.follow.v2.json');
    const forged = { ...follow, event: { ...follow.event, user_name: 'x\n{"level":50,"msg":"forged"}' } };
    expect(eventGist(forged)).toBe('x {"level":50,"msg":"forged"} followed');
    const long = { ...follow, event: { ...follow.event, user_name: 'a'.repeat(300) } };
    expect(eventGist(long)).toBe(`${'a'.repeat(79)}… followed`);
  });
});
