/**
 * `key=value` changes to a sample event (`trigger --set`, test alerts): friendly keys a streamer
 * knows (user, amount, message, tier, months …) mapped onto the fields of each type, and dotted
 * paths (`reward.title`) for any other field. A change keeps the field's JSON type (a number stays
 * a number), so the event still has the shape Twitch documents.
 */

/** One `--set key=value`, as written. */
export interface SampleOverride {
  key: string;
  value: string;
}

/** A key this type's event has no field for, or a value its field cannot take. */
export class SampleOverrideError extends Error {
  readonly userMessage: string;
  constructor(message: string) {
    super(message);
    this.name = 'SampleOverrideError';
    this.userMessage = message;
  }
}

type Event = Record<string, unknown>;

/** A friendly key: applies to an event that has one of its fields, the first that matches. */
interface FriendlyKey {
  describe: string;
  /** A value it accepts, to find out whether it applies to an event (default "1"). */
  probe?: string;
  /** Sets the value when this event has a field for the key; false when it has none. */
  apply(event: Event, value: string, type: string): boolean;
}

const has = (event: Event, path: string) => lookup(event, path).found;

/** Sets the first of `paths` the event has, keeping its type; false when it has none of them. */
function setFirst(paths: readonly string[]): FriendlyKey['apply'] {
  return (event, value, type) => {
    const path = paths.find((candidate) => has(event, candidate));
    if (!path) return false;
    setPath(event, path, value, type);
    return true;
  };
}

/** A user's display name; the login follows (lower case), as Twitch sends both. */
function setUser(prefixes: readonly string[]): FriendlyKey['apply'] {
  return (event, value) => {
    const prefix = prefixes.find((candidate) => typeof event[`${candidate}_name`] === 'string');
    if (!prefix) return false;
    event[`${prefix}_name`] = value;
    if (`${prefix}_login` in event) event[`${prefix}_login`] = value.toLowerCase();
    return true;
  };
}

/** Tier 1, 2, 3 (or Twitch's 1000, 2000, 3000). */
function setTier(event: Event, value: string): boolean {
  if (!('tier' in event)) return false;
  const tier = { '1': '1000', '2': '2000', '3': '3000', '1000': '1000', '2000': '2000', '3000': '3000' }[
    value
  ];
  if (!tier) throw new SampleOverrideError(`tier must be 1, 2 or 3 (or 1000, 2000, 3000), got "${value}"`);
  event.tier = tier;
  return true;
}

/**
 * The chat text of the event: a plain string (channel.cheer), Twitch's message object (its `text`,
 * with one text fragment and no emotes, so the parts agree), or a redemption's `user_input`.
 */
function setMessage(event: Event, value: string): boolean {
  const message = event.message;
  if (typeof message === 'string') event.message = value;
  else if (typeof message === 'object' && message !== null && 'text' in message) {
    const object = message as Event;
    object.text = value;
    if (Array.isArray(object.fragments)) object.fragments = [textFragment(object.fragments, value)];
    if (Array.isArray(object.emotes)) object.emotes = [];
  } else if (typeof event.user_input === 'string') event.user_input = value;
  else return false;
  return true;
}

/** One text fragment with the members the sample's fragments have (chat ones carry `mention`, …). */
function textFragment(fragments: unknown[], text: string): Event {
  const first = fragments.find((fragment) => typeof fragment === 'object' && fragment !== null) as
    Event | undefined;
  const fragment: Event = Object.fromEntries(Object.keys(first ?? {}).map((key) => [key, null]));
  return { ...fragment, type: 'text', text };
}

/** An amount: bits, raid viewers, gifted subs, a charity donation (in currency units), goal progress. */
function setAmount(event: Event, value: string, type: string): boolean {
  const donation = event.amount;
  if (typeof donation === 'object' && donation !== null && 'value' in donation) {
    const money = donation as { value: number; decimal_places: number };
    const units = Number(value);
    if (!Number.isFinite(units) || units < 0)
      throw new SampleOverrideError(`amount must be a number (e.g. 5 or 12.50), got "${value}"`);
    money.value = Math.round(units * 10 ** money.decimal_places);
    return true;
  }
  return setFirst(['bits', 'viewers', 'total', 'current_amount', 'reward.cost'])(event, value, type);
}

const FRIENDLY_KEYS: Readonly<Record<string, FriendlyKey>> = {
  user: {
    describe: 'who did it (display name; the login follows)',
    apply: setUser(['user', 'from_broadcaster_user', 'chatter_user', 'requester_user']),
  },
  amount: {
    describe: 'bits, raid viewers, gifted subs, donation, goal progress or reward cost',
    apply: setAmount,
  },
  bits: { describe: 'bits cheered or used', apply: setFirst(['bits']) },
  viewers: { describe: 'raiders', apply: setFirst(['viewers']) },
  count: { describe: 'subs in a gift', apply: setFirst(['total']) },
  message: { describe: 'the chat text (or a redemption’s input)', apply: setMessage },
  tier: { describe: '1, 2 or 3', apply: setTier },
  months: { describe: 'months subscribed in total', apply: setFirst(['cumulative_months']) },
  streak: { describe: 'months in a row', apply: setFirst(['streak_months']) },
  anonymous: { describe: 'true or false', probe: 'true', apply: setFirst(['is_anonymous']) },
  gift: { describe: 'true or false', probe: 'true', apply: setFirst(['is_gift']) },
  reward: { describe: 'the reward’s title', apply: setFirst(['reward.title']) },
  level: { describe: 'the Hype Train level', apply: setFirst(['level']) },
  goal: { describe: 'the target', apply: setFirst(['target_amount', 'goal']) },
};

/** The friendly keys this event has fields for, with what each means. */
export function knownSampleKeys(event: Event, type: string): { key: string; describe: string }[] {
  return Object.entries(FRIENDLY_KEYS)
    .filter(([, key]) => key.apply(structuredClone(event), probeValue(key), type))
    .map(([key, { describe }]) => ({ key, describe }));
}

/** A value every friendly key accepts, to find out whether it applies without changing anything. */
const probeValue = (key: FriendlyKey) => key.probe ?? '1';

/**
 * Applies `overrides` to `event` (changed in place, and returned). Friendly keys first; anything
 * else must be a dotted path to a field the event has. An unknown key throws, naming the keys this
 * type knows.
 */
export function applySampleOverrides(
  event: Event,
  overrides: readonly SampleOverride[],
  type: string,
): Event {
  for (const { key, value } of overrides) {
    const friendly = Object.hasOwn(FRIENDLY_KEYS, key) ? FRIENDLY_KEYS[key] : undefined;
    if (friendly?.apply(event, value, type)) continue;
    if (!friendly && has(event, key)) {
      setPath(event, key, value, type);
      continue;
    }
    const known = knownSampleKeys(event, type)
      .map((k) => k.key)
      .join(', ');
    const fields = Object.keys(event).slice(0, 12).join(', ');
    throw new SampleOverrideError(
      `${type} has no field for --set ${key}: its keys are ${known || '(none of the short ones)'}, ` +
        `or a dotted path into the event (${fields}${Object.keys(event).length > 12 ? ', …' : ''})`,
    );
  }
  return event;
}

/** `key=value` from the command line. */
export function parseSampleOverride(text: string): SampleOverride {
  const at = text.indexOf('=');
  if (at <= 0) throw new SampleOverrideError(`--set needs key=value (e.g. --set user=Foo), got "${text}"`);
  return { key: text.slice(0, at).trim(), value: text.slice(at + 1) };
}

function lookup(event: Event, path: string): { found: boolean; parent?: Event; name?: string } {
  const parts = path.split('.');
  let node: unknown = event;
  for (const part of parts.slice(0, -1)) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part))
      return { found: false };
    node = (node as Event)[part];
  }
  const name = parts.at(-1)!;
  if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, name))
    return { found: false };
  return { found: true, parent: node as Event, name };
}

/** Sets a field the event has, converting the text to the field's JSON type. */
function setPath(event: Event, path: string, value: string, type: string): void {
  const { parent, name } = lookup(event, path);
  const current = parent![name!];
  if (typeof current === 'number') {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number))
      throw new SampleOverrideError(`${type} ${path} is a number, got "${value}"`);
    parent![name!] = number;
  } else if (typeof current === 'boolean') {
    if (value !== 'true' && value !== 'false')
      throw new SampleOverrideError(`${type} ${path} is true or false, got "${value}"`);
    parent![name!] = value === 'true';
  } else if (typeof current === 'string' || current === null) {
    parent![name!] = value;
  } else {
    throw new SampleOverrideError(
      `${type} ${path} is ${Array.isArray(current) ? 'a list' : 'an object'}: set one of its fields (${path}.…)`,
    );
  }
}
