import { describe, expect, it } from '@jest/globals';
import { sampleEvent } from '../../src/twitch/samples/index.js';
import {
  applySampleOverrides,
  knownSampleKeys,
  parseSampleOverride,
} from '../../src/twitch/samples/sample-overrides.js';

const set = (type: string, version: string, ...pairs: string[]) =>
  applySampleOverrides(sampleEvent(type, version), pairs.map(parseSampleOverride), type);

describe('sample overrides (trigger --set)', () => {
  it('amount means bits, gifted subs, a donation in currency units, goal progress', () => {
    expect(set('channel.bits.use', '1', 'amount=300')).toMatchObject({ bits: 300 });
    expect(set('channel.subscription.gift', '1', 'amount=20')).toMatchObject({ total: 20 });
    expect(set('channel.charity_campaign.donate', '1', 'amount=12.5')).toMatchObject({
      amount: { value: 1250, decimal_places: 2 },
    });
    expect(set('channel.goal.progress', '1', 'amount=42')).toMatchObject({ current_amount: 42 });
  });

  it('a message object gets its text, one text fragment and no emotes; a redemption its input', () => {
    const bits = set('channel.bits.use', '1', 'message=hello');
    expect(bits.message).toEqual({
      text: 'hello',
      fragments: [{ type: 'text', text: 'hello', cheermote: null, emote: null }],
    });
    expect(set('channel.channel_points_custom_reward_redemption.add', '1', 'message=hi')).toMatchObject({
      user_input: 'hi',
    });
  });

  it('lists the keys a type knows', () => {
    const follow = knownSampleKeys(sampleEvent('channel.follow', '2'), 'channel.follow').map((k) => k.key);
    expect(follow).toEqual(['user']);
    const cheer = knownSampleKeys(sampleEvent('channel.cheer', '1'), 'channel.cheer').map((k) => k.key);
    expect(cheer).toEqual(['user', 'amount', 'bits', 'message', 'anonymous']);
  });

  it('rejects a tier that is none, a boolean that is not one, and an object path', () => {
    expect(() => set('channel.subscribe', '1', 'tier=4')).toThrow('tier must be 1, 2 or 3');
    expect(() => set('channel.subscribe', '1', 'gift=yes')).toThrow(
      'channel.subscribe is_gift is true or false',
    );
    expect(() => set('channel.channel_points_custom_reward_redemption.add', '1', 'reward=x')).not.toThrow();
    expect(() =>
      set('channel.channel_points_custom_reward_redemption.add', '1', 'reward.max_per_stream=1'),
    ).toThrow(/has no field for --set reward.max_per_stream/);
    expect(() => set('channel.cheer', '1', '__proto__.x=1')).toThrow(/has no field/);
  });
});
