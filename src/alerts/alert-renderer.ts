import { findEntry, UnknownTypeError } from '../twitch/catalog-lookup.js';
import { eventTypeProblem } from '../twitch/event-types.js';
import { sampleEvent } from '../twitch/samples/index.js';
import type { SequencedEvent } from '../store/store.js';
import type { Alert } from './alert.js';
import type { AlertRule, AlertSettings } from './alert-config.js';
import type { AlertSource } from './alert-queue.js';
import { eventFields, PLACEHOLDERS, type EventFields, type Placeholder } from './event-fields.js';

/** `alerts test TYPE` for a type that is not one, or one no rule shows; the message says which. */
export class AlertTestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertTestError';
  }
}

/** The first rule (file order, then the built-in ones) whose type and thresholds match. */
export function matchRule(
  rules: readonly AlertRule[],
  type: string,
  fields: EventFields,
): AlertRule | undefined {
  return rules.find((rule) => {
    if (rule.type !== type) return false;
    for (const [name, min] of Object.entries(rule.min)) {
      const value = fields.numbers[name as Placeholder];
      if (value === undefined || value < min) return false;
    }
    for (const [name, max] of Object.entries(rule.max)) {
      const value = fields.numbers[name as Placeholder];
      if (value === undefined || value > max) return false;
    }
    return rule.reward === undefined || rule.reward === fields.text.reward?.toLowerCase();
  });
}

function render(rule: AlertRule, type: string, fields: EventFields, id: string): Alert {
  return {
    id,
    type,
    kind: rule.kind ?? fields.kind,
    title: rule.title(fields.text),
    message: rule.message(fields.text),
    ...(rule.image !== undefined && { image: rule.image }),
    ...(rule.sound !== undefined && { sound: rule.sound }),
    volume: rule.volume,
    durationMs: rule.durationMs,
    style: rule.style,
    origin: 'event',
    ...(fields.dedupeKey !== undefined && { dedupeKey: fields.dedupeKey }),
    fields: { ...fields.text },
  };
}

/** `user=Foo`, `amount=500`: text replaced, and a number where it reads as one (for the thresholds). */
function applyOverrides(fields: EventFields, overrides: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(overrides)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name))
      throw new AlertTestError(`cannot set "${name}": the fields are ${PLACEHOLDERS.join(', ')}`);
    const key = name as Placeholder;
    fields.text[key] = value;
    const number = Number(value);
    if (value.trim() !== '' && Number.isFinite(number)) fields.numbers[key] = number;
    else delete fields.numbers[key];
    if (key === 'amount' && fields.text.bits !== undefined && Number.isFinite(number))
      fields.text.bits = `${number} ${number === 1 ? 'bit' : 'bits'}`;
  }
}

/** The `alerts:` rules as the queue's source of alerts. */
export function createAlertSource(settings: Pick<AlertSettings, 'rules'>): AlertSource {
  return {
    fromEvent({ envelope }: Pick<SequencedEvent, 'envelope'>): Alert | null {
      if (envelope.messageType !== 'notification' || !envelope.event) return null;
      const fields = eventFields(envelope.type, envelope.event);
      if (!fields) return null;
      const rule = matchRule(settings.rules, fields.matchAs ?? envelope.type, fields);
      if (!rule?.show) return null;
      return { ...render(rule, envelope.type, fields, envelope.id), eventId: envelope.id };
    },
    test(type, overrides) {
      const problem = eventTypeProblem(type);
      if (problem) throw new AlertTestError(problem);
      let event: Record<string, unknown>;
      try {
        event = sampleEvent(type, findEntry(type).version);
      } catch (error) {
        if (error instanceof UnknownTypeError) throw new AlertTestError(error.message);
        throw new AlertTestError((error as Error).message);
      }
      // A test of a gift sub shows the sub as Twitch would send one that is not part of a gift.
      const fields = eventFields(type, { ...event, is_gift: false });
      if (!fields) throw new AlertTestError(`${type} gives no alert`);
      applyOverrides(fields, overrides);
      const rule = matchRule(settings.rules, fields.matchAs ?? type, fields);
      if (!rule?.show)
        throw new AlertTestError(
          `no rule of \`alerts:\` shows ${type}${rule ? ` (${rule.source} hides it: show: false)` : ''}; add one with \`- type: ${type}\``,
        );
      return render(rule, type, fields, 'test');
    },
  };
}
