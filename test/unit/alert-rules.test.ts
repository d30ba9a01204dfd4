import { describe, expect, it } from '@jest/globals';
import { parseAlerts } from '../../src/alerts/alert-config.js';
import { createAlertSource, matchRule } from '../../src/alerts/alert-renderer.js';
import { cheerText, fragmentsText } from '../../src/alerts/cheermotes.js';
import { eventFields } from '../../src/alerts/event-fields.js';
import { compileTemplate, plainText, templateProblem } from '../../src/alerts/template.js';
import type { Envelope } from '../../src/twitch/envelope.js';
import { sampleEvent } from '../../src/twitch/samples/index.js';
import { fixture } from '../support/sign.js';

const settings = (alerts: unknown, streamNames = ['overlay']) =>
  parseAlerts(alerts, { dataDir: '/data', streamNames });

/** A stored notification of a documented fixture, as the queue gets it. */
function stored(name: string, changes: Record<string, unknown> = {}): { envelope: Envelope } {
  const body = fixture(name) as { subscription: Envelope['subscription']; event: Record<string, unknown> };
  return {
    envelope: {
      id: `id-${name}`,
      messageType: 'notification',
      type: body.subscription.type,
      version: body.subscription.version,
      timestamp: '2026-12-06T10:00:00.000000000Z',
      retry: 0,
      subscription: body.subscription,
      event: { ...body.event, ...changes },
      receivedAt: '2026-12-06T10:00:00.000Z',
    },
  };
}

describe('templates', () => {
  it('fills placeholders, keeps {{ }} as braces and leaves a missing field empty', () => {
    const template = compileTemplate('{user} sent {amount} {{bits}} {months}!', 200);
    expect(template({ user: 'Foo', amount: '500' })).toBe('Foo sent 500 {bits} !');
  });

  it('names an unknown placeholder with the one meant, and a lone brace', () => {
    expect(templateProblem('{usr} cheered')).toMatch(/unknown placeholder \{usr\}; did you mean \{user\}\?/);
    expect(templateProblem('{user cheered')).toMatch(/opens or closes no placeholder/);
    expect(templateProblem('{user} {{ok}}')).toBeUndefined();
  });

  it('makes one line of plain text, cut with an ellipsis at a code point', () => {
    expect(plainText('a\nb\u0007c\u2028d   e', 50)).toBe('a b c d e');
    const cut = plainText('😀'.repeat(10), 5);
    expect([...cut]).toHaveLength(5);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.startsWith('😀😀😀😀')).toBe(true);
  });
});

describe('cheermotes as amounts', () => {
  it('turns global cheermotes into amounts, runs summed, the rest of the text kept', () => {
    expect(cheerText('Cheer100 Cheer100 great stream Kappa50', 250)).toBe('200 bits great stream 50 bits');
    expect(cheerText('cheer1 hi', 1)).toBe('1 bit hi');
  });

  it("takes a channel's own cheermotes when they make the event's bits add up, and not otherwise", () => {
    expect(cheerText('mychan500 hype', 500)).toBe('500 bits hype');
    expect(cheerText('Cheer100 room101', 100)).toBe('100 bits room101');
  });

  it('reads channel.bits.use fragments', () => {
    const event = sampleEvent('channel.bits.use', '1') as { message: { fragments: never[] } };
    expect(fragmentsText(event.message.fragments)).toBe('1 bit hi 1 bit');
  });
});

describe('fields of the documented payloads', () => {
  it('reads each fixture with the field names Twitch documents', () => {
    const of = (name: string) => {
      const { envelope } = stored(name);
      return eventFields(envelope.type, envelope.event!);
    };
    expect(of('notification.channel.follow.v2.json')?.text).toMatchObject({ user: 'Cool_User' });
    expect(of('notification.channel.subscribe.v1.json')?.text).toMatchObject({
      user: 'Cool_User',
      tier: 'Tier 1',
    });
    expect(of('notification.channel.subscription.gift.v1.json')).toMatchObject({
      text: { user: 'Cool_User', amount: '2', total: '284' },
      numbers: { amount: 2 },
    });
    expect(of('notification.channel.cheer.v1.json')).toMatchObject({
      text: { user: 'Cool_User', amount: '1000', message: 'pogchamp', bits: '1000 bits' },
    });
    expect(of('notification.channel.raid.v1.json')).toMatchObject({
      text: { user: 'Cool_User', viewers: '9001' },
      numbers: { viewers: 9001 },
    });
    expect(
      of('notification.channel.channel_points_custom_reward_redemption.add.v1.json')?.text,
    ).toMatchObject({
      user: 'Cooler_User',
      reward: 'title',
      amount: '100',
      message: 'pogchamp',
    });
  });

  it('gives no alert for a gifted sub (the gift announces it), and names an anonymous cheer Anonymous', () => {
    const gifted = stored('notification.channel.subscribe.v1.json', { is_gift: true }).envelope;
    expect(eventFields(gifted.type, gifted.event!)).toBeNull();
    const anonymous = stored('notification.channel.cheer.v1.json', {
      is_anonymous: true,
      user_id: null,
      user_login: null,
      user_name: null,
    }).envelope;
    expect(eventFields(anonymous.type, anonymous.event!)?.text.user).toBe('Anonymous');
  });

  it('formats a charity donation in its currency', () => {
    const fields = eventFields(
      'channel.charity_campaign.donate',
      sampleEvent('channel.charity_campaign.donate', '1'),
    );
    expect(fields).toMatchObject({
      text: { amount: '$100.00', charity: 'Example name' },
      numbers: { amount: 100 },
    });
  });
});

describe('rules', () => {
  it('with no config, every default type gives an alert', () => {
    const source = createAlertSource(settings(undefined));
    for (const name of [
      'notification.channel.follow.v2.json',
      'notification.channel.subscribe.v1.json',
      'notification.channel.subscription.gift.v1.json',
      'notification.channel.cheer.v1.json',
      'notification.channel.raid.v1.json',
      'notification.channel.channel_points_custom_reward_redemption.add.v1.json',
    ])
      expect({ name, title: source.fromEvent(stored(name))?.title }).toEqual({
        name,
        title: expect.any(String),
      });
    for (const type of [
      'channel.subscription.message',
      'channel.bits.use',
      'channel.hype_train.begin',
      'channel.hype_train.end',
      'channel.charity_campaign.donate',
    ])
      expect(source.test(type, {}).title.length).toBeGreaterThan(0);
    expect(source.fromEvent(stored('notification.channel.ban.v1.json'))).toBeNull();
  });

  it('picks the first matching rule: variations by amount, by reward, then the built-in ones', () => {
    const parsed = settings({
      rules: [
        { type: 'channel.cheer', min: { amount: 1000 }, title: 'big {amount}' },
        { type: 'channel.cheer', min: { amount: 100 }, max: { amount: 999 }, title: 'mid {amount}' },
        { type: 'channel.channel_points_custom_reward_redemption.add', reward: 'HYDRATE', title: 'water' },
      ],
    });
    const source = createAlertSource(parsed);
    const cheer = (bits: number) =>
      source.fromEvent(stored('notification.channel.cheer.v1.json', { bits, message: `Cheer${bits}` }))
        ?.title;
    expect([cheer(5000), cheer(1000), cheer(500), cheer(50)]).toEqual([
      'big 5000',
      'big 1000',
      'mid 500',
      'Cool_User cheered 50 bits!',
    ]);
    const redemption = (title: string) =>
      source.fromEvent(
        stored('notification.channel.channel_points_custom_reward_redemption.add.v1.json', {
          reward: { id: 'x', title, cost: 1, prompt: '' },
        }),
      )?.title;
    expect([redemption('Hydrate'), redemption('Other')]).toEqual(['water', 'Cooler_User redeemed Other']);
    const { envelope } = stored('notification.channel.cheer.v1.json');
    expect(
      matchRule(parsed.rules, 'channel.cheer', eventFields(envelope.type, envelope.event!)!)?.source,
    ).toBe('alerts.rules[0]');
  });

  it('applies test overrides to the fields, thresholds included', () => {
    const source = createAlertSource(
      settings({ rules: [{ type: 'channel.cheer', min: { amount: 1000 }, title: 'big {user}' }] }),
    );
    expect(source.test('channel.cheer', { user: 'Foo', amount: '5' }).title).toBe('Foo cheered 5 bits!');
    expect(source.test('channel.cheer', { user: 'Foo', amount: '5000' }).title).toBe('big Foo');
    expect(() => source.test('channel.folow', {})).toThrow(/did you mean "channel.follow"/);
    expect(() => source.test('channel.cheer', { nmae: 'x' })).toThrow(/cannot set "nmae"/);
  });

  it('drops the built-in rules with defaults: false, and hides a type with show: false', () => {
    const none = createAlertSource(settings({ defaults: false, rules: [{ type: 'channel.raid' }] }));
    expect(none.fromEvent(stored('notification.channel.follow.v2.json'))).toBeNull();
    expect(none.fromEvent(stored('notification.channel.raid.v1.json'))?.title).toBe('Cool_User is raiding!');
    const hidden = createAlertSource(settings({ rules: [{ type: 'channel.follow', show: false }] }));
    expect(hidden.fromEvent(stored('notification.channel.follow.v2.json'))).toBeNull();
  });
});

describe('alerts: config mistakes, each named with its field', () => {
  const error = (alerts: unknown) => {
    try {
      settings(alerts);
    } catch (caught) {
      return (caught as Error).message;
    }
    throw new Error('accepted');
  };

  it('refuses an unknown type, key, placeholder or stream, with what was meant', () => {
    expect(error({ rules: [{ type: 'channel.folow' }] })).toMatch(
      /alerts\.rules\[0\]\.type.*did you mean "channel\.follow"/,
    );
    expect(error({ rules: [{ type: 'channel.follow', titel: 'x' }] })).toMatch(
      /alerts\.rules\[0\]\.titel: unknown key.*title/,
    );
    expect(error({ rules: [{ type: 'channel.follow', title: '{usr}' }] })).toMatch(/did you mean \{user\}/);
    expect(error({ rules: [{ type: 'channel.cheer', min: { bitz: 5 } }] })).toMatch(
      /alerts\.rules\[0\]\.min\.bitz/,
    );
    expect(error({ streams: ['overlya'] })).toMatch(/alerts\.streams\[0\].*not a configured stream/);
    expect(error({ sound: 'x.mp3' })).toMatch(/alerts\.sound.*unknown key/);
  });

  it('refuses media outside the media folder, URLs and hidden files', () => {
    for (const image of [
      '../secret.png',
      '/etc/passwd',
      'a/../../b.png',
      'https://cdn.example/x.gif',
      '.hidden.png',
      'a\\b.png',
    ])
      expect({ image, message: error({ rules: [{ type: 'channel.follow', image }] }) }).toEqual({
        image,
        message: expect.stringMatching(/^alerts\.rules\[0\]\.image: must/),
      });
    expect(error({ stylesheet: 'look.txt' })).toMatch(/\.css/);
  });

  it('refuses a style value that could leave its declaration, and a rule no event can reach', () => {
    expect(error({ style: { '--alert-color': 'red; } body { display: none' } })).toMatch(/must not contain/);
    expect(error({ style: { color: 'red' } })).toMatch(/custom properties/);
    expect(
      error({ rules: [{ type: 'channel.cheer' }, { type: 'channel.cheer', min: { amount: 100 } }] }),
    ).toMatch(/alerts\.rules\[1\]: never matches: alerts\.rules\[0\] above it matches every channel\.cheer/);
  });

  it('reads durations as milliseconds or "6s" / "1500ms", and keeps media under their URL path', () => {
    const parsed = settings({
      media: '/srv/media',
      duration: '4s',
      rules: [{ type: 'channel.follow', duration: '1500ms', sound: 'a b/c.mp3' }],
    });
    expect(parsed.mediaDir).toBe('/srv/media');
    expect(parsed.rules[0]).toMatchObject({ durationMs: 1500, sound: '/overlay/media/a%20b/c.mp3' });
    expect(parsed.builtin.every((rule) => rule.durationMs === 4000)).toBe(true);
    expect(settings(undefined).mediaDir).toBe('/data/alerts');
    expect(error({ duration: '2 minutes' })).toMatch(/alerts\.duration/);
  });
});
