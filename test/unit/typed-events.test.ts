import { describe, expect, it } from '@jest/globals';
import { getRawData } from '@twurple/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TYPED_EVENT_CLASSES } from '../../src/sinks/module/typed-event-classes.js';
import { TYPED_EVENT_VARIANTS } from '../../src/sinks/module/typed-event-variants.js';
import { toTypedEvent, typedEventClass } from '../../src/sinks/module/typed-events.js';
import { CATALOG } from '../../src/twitch/catalog.js';
import { FIXTURES_DIR, fixture } from '../support/sign.js';

const CATALOG_KEYS = new Set(CATALOG.map((entry) => `${entry.type}@${entry.version}`));
const TWURPLE = join(process.cwd(), 'node_modules', '@twurple');

/**
 * What twurple 8.1.4 itself builds, read from its sources: each subscription class's `transformData`
 * (`new X(data, …)`) and the Helix method it subscribes with, whose `createSubscription('type', 'v')`
 * gives the type and version. Our table must say the same for every catalog entry.
 */
function twurpleClassesByType(): Map<string, Set<string>> {
  const api = readFileSync(join(TWURPLE, 'api/lib/endpoints/eventSub/HelixEventSubApi.js'), 'utf8');
  const methods = new Map<string, string>();
  for (const m of api.matchAll(/async (subscribeTo\w+)\([^)]*\) \{([\s\S]*?)\n {4}\}/g)) {
    const created = /createSubscription\('([^']+)', '([^']+)'/.exec(m[2]!);
    if (created) methods.set(m[1]!, `${created[1]}@${created[2]}`);
  }
  const dir = join(TWURPLE, 'eventsub-base/lib/subscriptions');
  const byType = new Map<string, Set<string>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('Subscription.js'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    const method = /\.(subscribeTo\w+)\(/.exec(source)?.[1];
    const key = method && methods.get(method);
    if (!key) continue; // the abstract base class
    byType.set(key, new Set([...source.matchAll(/new (EventSub\w+Event)\(data/g)].map((m) => m[1]!)));
  }
  return byType;
}

/** Our table as the same shape: type@version → class names. */
function ourClassesByType(): Map<string, Set<string>> {
  const ours = new Map<string, Set<string>>();
  for (const [key, cls] of Object.entries(TYPED_EVENT_CLASSES)) ours.set(key, new Set([cls.name]));
  for (const [key, table] of Object.entries(TYPED_EVENT_VARIANTS)) {
    const names = Object.values(table.variants).map((v) => ('class' in v ? v.class : v).name);
    ours.set(key, new Set(names));
  }
  return ours;
}

/** Every getter a twurple event class defines (its own and inherited, below DataObject). */
function getterNames(object: object): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(object); proto && proto.constructor.name !== 'DataObject';) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto)))
      if (descriptor.get) names.push(name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

describe('typed twurple events for the module sink', () => {
  it('maps every catalog type/version twurple has a class for, to the class twurple itself uses', () => {
    const twurple = twurpleClassesByType();
    const expected = new Map([...twurple].filter(([key]) => CATALOG_KEYS.has(key)));
    const ours = ourClassesByType();
    expect([...ours.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, classes] of expected)
      expect([key, [...ours.get(key)!].sort()]).toEqual([key, [...classes].sort()]);
    expect(ours.size).toBe(76); // of the catalog's 83 rows; the rest (betas, conduits, …) have no twurple class
    // Versions follow the catalog: twurple's v1 hype-train classes are for versions Twitch removed.
    expect(ours.has('channel.update@1')).toBe(false);
    expect(ours.has('channel.follow@1')).toBe(false);
    expect([...ours.keys()].every((key) => CATALOG_KEYS.has(key))).toBe(true);
  });

  it.each(Object.entries(TYPED_EVENT_CLASSES))('%s constructs from a raw event', (key, cls) => {
    const [type, version] = key.split('@') as [string, string];
    const fixtureName = `notification.${type}.v${version}.json`;
    const hasFixture = existsSync(join(FIXTURES_DIR, fixtureName));
    const raw = hasFixture
      ? (fixture(fixtureName) as { event: Record<string, unknown> }).event
      : {
          broadcaster_user_id: '1337',
          broadcaster_id: '1337', // the charity events name it so
          broadcaster_user_name: 'Cool_User',
        };
    const typed = toTypedEvent(type, version, raw);
    expect(typed).toBeInstanceOf(cls);
    expect(getRawData(typed as never)).toEqual(raw);
    if ('broadcasterId' in typed)
      expect(typed.broadcasterId).toBe(raw.broadcaster_user_id ?? raw.broadcaster_id);
    // With Twitch's documented payload, every getter of the class reads its data without throwing.
    if (hasFixture) for (const name of getterNames(typed)) expect(() => (typed as never)[name]).not.toThrow();
  });

  it.each(
    Object.entries(TYPED_EVENT_VARIANTS).flatMap(([key, table]) =>
      Object.entries(table.variants).map(
        ([value, variant]) => [key, value, variant, table.discriminator] as const,
      ),
    ),
  )('%s with %s constructs its own class', (key, value, variant, discriminator) => {
    const [type, version] = key.split('@') as [string, string];
    const raw = { broadcaster_user_id: '1337', [discriminator]: value };
    const typed = toTypedEvent(type, version, raw);
    const cls = 'class' in variant ? variant.class : variant;
    expect(typed).toBeInstanceOf(cls);
    expect(getRawData(typed as never)).toEqual(raw);
    // The classes twurple builds as `new X(data, data.action)` keep that action.
    if ('class' in variant && variant.discriminatorArgument)
      expect((typed as { moderationAction: string }).moderationAction).toBe(value);
  });

  it('gives the raw event where twurple has no class: other versions, unknown types, unknown variants', () => {
    const raw = { broadcaster_user_id: '1337', action: 'some_future_action' };
    expect(toTypedEvent('channel.follow', '1', raw)).toBe(raw);
    expect(toTypedEvent('channel.guest_star_session.begin', 'beta', raw)).toBe(raw);
    expect(toTypedEvent('channel.moderate', '2', raw)).toBe(raw);
    expect(toTypedEvent('channel.chat.notification', '1', { notice_type: 'toString' })).toEqual({
      notice_type: 'toString',
    });
    expect(typedEventClass('channel.moderate', '2', {})).toBeUndefined();
  });
});
