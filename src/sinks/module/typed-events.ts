import { TYPED_EVENT_CLASSES, type EventClass } from './typed-event-classes.js';
import { TYPED_EVENT_VARIANTS } from './typed-event-variants.js';

type Construct = new (...args: unknown[]) => object;

/** The class (and extra constructor argument) for this raw event, or undefined when twurple has none. */
export function typedEventClass(
  type: string,
  version: string,
  event: Record<string, unknown>,
): { class: EventClass; args: unknown[] } | undefined {
  const key = `${type}@${version}`;
  const simple = TYPED_EVENT_CLASSES[key];
  if (simple) return { class: simple, args: [] };
  const table = TYPED_EVENT_VARIANTS[key];
  const value = table ? event[table.discriminator] : undefined;
  if (!table || typeof value !== 'string') return undefined;
  const variant = Object.hasOwn(table.variants, value) ? table.variants[value] : undefined;
  if (!variant) return undefined;
  return 'class' in variant
    ? { class: variant.class, args: variant.discriminatorArgument ? [value] : [] }
    : { class: variant, args: [] };
}

/**
 * The twurple object for this event when one exists (built without an ApiClient: `getUser()` and
 * other Helix helpers are unavailable; the getters work), else the raw event.
 */
export function toTypedEvent(type: string, version: string, event: Record<string, unknown>): object {
  const found = typedEventClass(type, version, event);
  return found ? new (found.class as unknown as Construct)(event, ...found.args) : event;
}

/**
 * The typed objects of one notification: one per item for a batched event (drop.entitlement.grant
 * arrives as `{ events: [{ id, data }] }`, and twurple builds one object per `data`), else one.
 */
export function toTypedEvents(type: string, version: string, event: Record<string, unknown>): object[] {
  const items = event.events;
  if (Array.isArray(items) && Object.keys(event).length === 1) {
    return items.map((item: { data?: Record<string, unknown> }) =>
      toTypedEvent(type, version, item.data ?? {}),
    );
  }
  return [toTypedEvent(type, version, event)];
}
