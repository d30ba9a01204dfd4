import { bitsText, cheerText, fragmentsText } from './cheermotes.js';

/** The placeholders a template may use, each documented in docs/alerts.md. */
export const PLACEHOLDERS = [
  'user',
  'amount',
  'bits',
  'months',
  'streak',
  'tier',
  'message',
  'reward',
  'viewers',
  'level',
  'total',
  'progress',
  'goal',
  'charity',
  'broadcaster',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** What a rule matches and a template fills: text per placeholder, numbers for the thresholds. */
export interface EventFields {
  /** A short word for the card's CSS class (`alert-<kind>`) when the rule gives none. */
  kind: string;
  text: Partial<Record<Placeholder, string>>;
  numbers: Partial<Record<Placeholder, number>>;
  /** See Alert.dedupeKey. */
  dedupeKey?: string;
  /** The type whose rules show it, when not its own: a channel.bits.use cheer is a channel.cheer. */
  matchAs?: string;
}

type EventObject = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const obj = (value: unknown): EventObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as EventObject) : {};

const TIERS: Record<string, string> = { '1000': 'Tier 1', '2000': 'Tier 2', '3000': 'Tier 3' };
const tierText = (tier: unknown) => TIERS[str(tier) ?? ''] ?? 'Tier 1';

/** The viewer's display name; "Anonymous" for an anonymous cheer or gift (its user fields are null). */
const userName = (event: EventObject, prefix = 'user') =>
  event.is_anonymous === true
    ? 'Anonymous'
    : (str(event[`${prefix}_name`]) ?? str(event[`${prefix}_login`]) ?? 'Someone');

/** A message that is either text or `{ text, … }` (subscription messages, bits.use). */
const messageText = (value: unknown) => (typeof value === 'string' ? value : (str(obj(value).text) ?? ''));

/** `{ value: 10000, decimal_places: 2, currency: 'USD' }` → 100 and "$100.00". */
function money(value: unknown): { amount: number; text: string } | undefined {
  const { value: minor, decimal_places: places, currency } = obj(value);
  if (typeof minor !== 'number' || typeof places !== 'number') return undefined;
  const amount = minor / 10 ** places;
  try {
    const text = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: typeof currency === 'string' ? currency : 'USD',
      minimumFractionDigits: places,
    }).format(amount);
    return { amount, text };
  } catch {
    return { amount, text: `${amount.toFixed(places)} ${String(currency)}` };
  }
}

const POWER_UPS: Record<string, string> = {
  message_effect: 'a Message Effect',
  celebration: 'an On-Screen Celebration',
  gigantify_an_emote: 'a Gigantified Emote',
};

type Extractor = (event: EventObject) => EventFields | null;

const withNumber = (fields: EventFields, name: Placeholder, value: number | undefined): EventFields => {
  if (value === undefined) return fields;
  fields.numbers[name] = value;
  fields.text[name] ??= String(value);
  return fields;
};

/**
 * Per EventSub type, the fields of its alert (field names as Twitch documents the payloads). A type
 * missing here gets the generic fields: user, broadcaster, message.
 */
const EXTRACTORS: Record<string, Extractor> = {
  'channel.follow': (event) => ({ kind: 'follow', text: { user: userName(event) }, numbers: {} }),
  // A gifted sub (is_gift) belongs to a channel.subscription.gift, which announces the whole gift:
  // a gift bomb of 20 is one alert, not 21.
  'channel.subscribe': (event) =>
    event.is_gift === true
      ? null
      : { kind: 'sub', text: { user: userName(event), tier: tierText(event.tier) }, numbers: {} },
  'channel.subscription.message': (event) => {
    const months = num(event.cumulative_months) ?? 1;
    const fields: EventFields = {
      kind: 'resub',
      text: { user: userName(event), tier: tierText(event.tier), message: messageText(event.message) },
      numbers: {},
    };
    withNumber(fields, 'months', months);
    withNumber(fields, 'amount', months);
    return withNumber(fields, 'streak', num(event.streak_months));
  },
  'channel.subscription.gift': (event) => {
    const fields: EventFields = {
      kind: 'gift',
      text: { user: userName(event), tier: tierText(event.tier) },
      numbers: {},
    };
    withNumber(fields, 'amount', num(event.total) ?? 1);
    return withNumber(fields, 'total', num(event.cumulative_total));
  },
  'channel.cheer': (event) => {
    const bits = num(event.bits) ?? 0;
    const fields: EventFields = {
      kind: 'cheer',
      text: {
        user: userName(event),
        message: cheerText(str(event.message) ?? '', bits),
        bits: bitsText(bits),
      },
      numbers: {},
      dedupeKey: `cheer:${str(event.user_id) ?? 'anonymous'}:${bits}:${str(event.message) ?? ''}`,
    };
    return withNumber(fields, 'amount', bits);
  },
  'channel.bits.use': (event) => {
    const bits = num(event.bits) ?? 0;
    const message = obj(event.message);
    const text = Array.isArray(message.fragments)
      ? fragmentsText(message.fragments as EventObject[])
      : cheerText(messageText(event.message), bits);
    const powerUp = obj(event.power_up);
    const isCheer = event.type === 'cheer';
    const fields: EventFields = {
      kind: isCheer ? 'cheer' : 'power-up',
      text: {
        user: userName(event),
        message: text,
        bits: bitsText(bits),
        ...(!isCheer && { reward: POWER_UPS[str(powerUp.type) ?? ''] ?? 'a Power-up' }),
      },
      numbers: {},
      // A cheer is a cheer however it arrives: the channel.cheer rules show it, and the same cheer
      // also arriving as channel.cheer (same user, bits and text) is shown once.
      ...(isCheer && {
        matchAs: 'channel.cheer',
        dedupeKey: `cheer:${str(event.user_id) ?? 'anonymous'}:${bits}:${messageText(event.message)}`,
      }),
    };
    return withNumber(fields, 'amount', bits);
  },
  'channel.raid': (event) => {
    const fields: EventFields = {
      kind: 'raid',
      text: { user: userName(event, 'from_broadcaster_user') },
      numbers: {},
    };
    withNumber(fields, 'viewers', num(event.viewers) ?? 0);
    return withNumber(fields, 'amount', num(event.viewers) ?? 0);
  },
  'channel.channel_points_custom_reward_redemption.add': (event) => {
    const reward = obj(event.reward);
    const fields: EventFields = {
      kind: 'redemption',
      text: {
        user: userName(event),
        reward: str(reward.title) ?? 'a reward',
        message: str(event.user_input) ?? '',
      },
      numbers: {},
    };
    return withNumber(fields, 'amount', num(reward.cost));
  },
  'channel.hype_train.begin': (event) => hypeTrain(event, 'hype-train'),
  'channel.hype_train.end': (event) => hypeTrain(event, 'hype-train-end'),
  'channel.charity_campaign.donate': (event) => {
    const donated = money(event.amount);
    const fields: EventFields = {
      kind: 'charity',
      text: {
        user: userName(event),
        charity: str(event.charity_name) ?? 'charity',
        ...(donated && { amount: donated.text }),
      },
      numbers: {},
    };
    return withNumber(fields, 'amount', donated?.amount);
  },
};

function hypeTrain(event: EventObject, kind: string): EventFields {
  const top = Array.isArray(event.top_contributions) ? obj(event.top_contributions[0]) : {};
  const fields: EventFields = {
    kind,
    text: { ...(top.user_name !== undefined && { user: userName(top) }) },
    numbers: {},
  };
  withNumber(fields, 'level', num(event.level) ?? 1);
  withNumber(fields, 'total', num(event.total));
  withNumber(fields, 'amount', num(event.total));
  withNumber(fields, 'progress', num(event.progress));
  return withNumber(fields, 'goal', num(event.goal));
}

/** A kind for a type without an extractor: its last word(s), e.g. `channel.ad_break.begin` → `ad-break-begin`. */
const genericKind = (type: string) => type.split('.').slice(1).join('-').replace(/_/g, '-') || 'event';

/**
 * The fields of one event for its alert, or null when the event must not make one (a gifted sub
 * of a gift, announced by the gift itself).
 */
export function eventFields(type: string, event: EventObject): EventFields | null {
  const extract = EXTRACTORS[type];
  const fields = extract
    ? extract(event)
    : {
        kind: genericKind(type),
        text: { user: userName(event), message: messageText(event.message) },
        numbers: {},
      };
  if (!fields) return null;
  const broadcaster = str(event.broadcaster_user_name) ?? str(event.broadcaster_name);
  if (broadcaster !== undefined) fields.text.broadcaster ??= broadcaster;
  return fields;
}
